/* The ToUnicode maps of the embedded fonts, written by MediMart.
 *
 * With HPDF_UseUTFEncodings, libharu draws text in a Type0 font with the
 * Identity-H encoding whose 2-byte codes are the characters' Unicode
 * values (the CIDToGIDMap turns them into glyphs). For the font's
 * /ToUnicode it reuses the CMap of its UTF-8 encoder: a CID-keyed CMap
 * ("begincidrange <0000> <FFFF> 0"), which maps codes to CIDs. A ToUnicode
 * map may only use bfchar and bfrange, so poppler warns "Invalid
 * 'begincidrange' operator in ToUnicode CMap" for every font and readers
 * that follow the specification find no mapping for search, copy and
 * screen readers. Before the document is written, the stream of each
 * face's /ToUnicode is replaced by a proper map: one bfrange per run of
 * consecutive characters the document draws in that face (runs never
 * cross a high byte, blocks of at most 100 lines). */
#include "out/pdf/pdf_impl.h"
#include "util/xalloc.h"
#include <hpdf_objects.h>
#include <hpdf_streams.h>
#include <string.h>

void pdf_mark_used(pdf_doc *d, pdf_face f, const char *s, size_t n)
{
	if (!d->font[f])
		f = PF_REGULAR; /* pdf_font() stands the regular face in */
	if (!d->used[f])
		d->used[f] = xcalloc(PDF_CODES / 8, 1);
	const char *end = s + n;
	while (s < end) {
		unsigned cp = utf8_next(&s, end);
		if (cp < PDF_CODES)
			d->used[f][cp >> 3] |= (unsigned char)(1u << (cp & 7));
	}
}

static int is_used(const unsigned char *used, unsigned cp)
{
	return used && cp < PDF_CODES && (used[cp >> 3] >> (cp & 7) & 1);
}

void pdf_tounicode_cmap(const unsigned char *used, buf *out)
{
	/* The runs: [lo, hi] within one high byte, all drawn. */
	unsigned (*run)[2] = NULL;
	size_t nrun = 0, cap = 0;
	for (unsigned cp = 0; cp < PDF_CODES; cp++) {
		if (!is_used(used, cp) || (cp >= 0xD800 && cp <= 0xDFFF))
			continue;
		if (nrun && run[nrun - 1][1] + 1 == cp && (cp & 0xFF) != 0) {
			run[nrun - 1][1] = cp;
			continue;
		}
		if (nrun == cap) {
			cap = cap ? 2 * cap : 64;
			run = xrealloc(run, cap * sizeof *run);
		}
		run[nrun][0] = run[nrun][1] = cp;
		nrun++;
	}
	buf_puts(out, "/CIDInit /ProcSet findresource begin\n"
		      "12 dict begin\n"
		      "begincmap\n"
		      "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
		      "/CMapName /Adobe-Identity-UCS def\n"
		      "/CMapType 2 def\n"
		      "1 begincodespacerange\n"
		      "<0000> <FFFF>\n"
		      "endcodespacerange\n");
	for (size_t i = 0; i < nrun; i += 100) {
		size_t k = nrun - i < 100 ? nrun - i : 100;
		buf_printf(out, "%zu beginbfrange\n", k);
		for (size_t j = i; j < i + k; j++)
			buf_printf(out, "<%04X> <%04X> <%04X>\n", run[j][0], run[j][1], run[j][0]);
		buf_puts(out, "endbfrange\n");
	}
	buf_puts(out, "endcmap\n"
		      "CMapName currentdict /CMap defineresource pop\n"
		      "end\n"
		      "end\n");
	free(run);
}

int pdf_write_tounicode(pdf_doc *d)
{
	for (int f = 0; f < PF_NFACES; f++) {
		if (!d->font[f])
			continue;
		HPDF_Dict font = (HPDF_Dict)d->font[f];
		HPDF_Dict map = HPDF_Dict_GetItem(font, "ToUnicode", HPDF_OCLASS_DICT);
		if (!map || !map->stream)
			continue; /* a libharu that writes no ToUnicode of its own */
		/* libharu's CID-keyed CMap is emptied, and the CMap keys a
		 * ToUnicode stream does not take are removed. */
		HPDF_MemStream_FreeData(map->stream);
		static const char *const keys[] = {"Type", "CMapName", "CIDSystemInfo", "WMode", "UseCMap"};
		for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
			HPDF_Dict_RemoveElement(map, keys[i]);
		buf cm = {0};
		pdf_tounicode_cmap(d->used[f], &cm);
		HPDF_STATUS st = HPDF_Stream_Write(map->stream, (const HPDF_BYTE *)cm.s, (HPDF_UINT)cm.n);
		buf_free(&cm);
		if (st != HPDF_OK)
			return -1;
	}
	return 0;
}
