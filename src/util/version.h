/* The tool's version, declared once: `medimart --version`, the site's
 * footer, the packs' cover sheets and meta:version ("MediMart " MM_VERSION)
 * all take it from here. */
#ifndef MM_VERSION_H
#define MM_VERSION_H

#define MM_VERSION "0.1.0"

#endif
