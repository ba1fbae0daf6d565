/* qr.c - a proofs block as QR codes (libqrencode), for a statement or a fund
 * report to carry on paper and on its web page. A block is a few kilobytes and a
 * QR code holds at most 2331 bytes at level M, so the block is cut into parts of
 * at most FS_QR_PART bytes (at a line's end when one falls in the part's last
 * quarter), each its own QR code, numbered outside the code: a reader joins the
 * parts' texts in order and has the block, byte for byte. Drawn as text in UTF-8
 * half blocks (two rows of modules a line; dark modules as ink, for paper and
 * light backgrounds) or as one SVG with the parts one under the other. */
#include "internal.h"
#include "qr.h"

#include <qrencode.h>
#include <stdlib.h>
#include <string.h>

enum { QUIET = 4 }; /* the quiet zone, in modules, that the standard asks */

size_t fs_qr_parts(const char *text, size_t n, size_t *start, size_t *len, size_t max)
{
	size_t k = 0;
	for (size_t at = 0; at < n && k < max; k++) {
		size_t take = n - at > FS_QR_PART ? FS_QR_PART : n - at;
		if (at + take < n) { /* a line's end in the last quarter of the part, if any */
			for (size_t j = take; j > FS_QR_PART * 3 / 4; j--)
				if (text[at + j - 1] == '\n') {
					take = j;
					break;
				}
		}
		start[k] = at;
		len[k] = take;
		at += take;
	}
	return k;
}

static QRcode *encode(const char *p, size_t n)
{
	return QRcode_encodeData((int)n, (const unsigned char *)p, 0, QR_ECLEVEL_M);
}

static int dark(const QRcode *q, int x, int y)
{
	x -= QUIET, y -= QUIET;
	return x >= 0 && y >= 0 && x < q->width && y < q->width && (q->data[y * q->width + x] & 1);
}

int fs_qr_text(const char *text, char **ret, struct fs_error *err)
{
	size_t n = strlen(text), start[FS_QR_MAX_PARTS], len[FS_QR_MAX_PARTS];
	size_t k = fs_qr_parts(text, n, start, len, FS_QR_MAX_PARTS);
	if (k == FS_QR_MAX_PARTS && start[k - 1] + len[k - 1] < n)
		return fs_fail(err, FS_ELIMIT, NULL, "the proofs are longer than %d QR codes can hold", FS_QR_MAX_PARTS);
	struct fs_buf b;
	fs_buf_init(&b, 8u << 20);
	int rc = 0;
	for (size_t i = 0; !rc && i < k; i++) {
		QRcode *q = encode(text + start[i], len[i]);
		if (!q) {
			rc = fs_fail(err, FS_ENOMEM, NULL, "cannot make QR code %zu of the proofs", i + 1);
			break;
		}
		int w = q->width + 2 * QUIET;
		if (fs_buf_addf(&b, "QR %zu of %zu: bytes %zu to %zu of the proofs block (join the parts in order)\n", i + 1, k,
				start[i] + 1, start[i] + len[i]))
			rc = FS_ENOMEM;
		for (int y = 0; !rc && y < w; y += 2) {
			for (int x = 0; !rc && x < w; x++) {
				int top = dark(q, x, y), bottom = y + 1 < w && dark(q, x, y + 1);
				rc = fs_buf_adds(&b, top && bottom ? "\u2588" : top ? "\u2580" : bottom ? "\u2584" : " ") ? FS_ENOMEM : 0;
			}
			if (!rc && fs_buf_addc(&b, '\n'))
				rc = FS_ENOMEM;
		}
		QRcode_free(q);
	}
	if (rc) {
		fs_buf_done(&b);
		return rc;
	}
	*ret = fs_buf_take(&b);
	return 0;
}

int fs_qr_svg(const char *text, char **ret, struct fs_error *err)
{
	size_t n = strlen(text), start[FS_QR_MAX_PARTS], len[FS_QR_MAX_PARTS];
	size_t k = fs_qr_parts(text, n, start, len, FS_QR_MAX_PARTS);
	if (k == FS_QR_MAX_PARTS && start[k - 1] + len[k - 1] < n)
		return fs_fail(err, FS_ELIMIT, NULL, "the proofs are longer than %d QR codes can hold", FS_QR_MAX_PARTS);
	QRcode *q[FS_QR_MAX_PARTS] = {0};
	int wmax = 0, htotal = 0, rc = 0;
	for (size_t i = 0; i < k; i++) {
		if (!(q[i] = encode(text + start[i], len[i]))) {
			rc = fs_fail(err, FS_ENOMEM, NULL, "cannot make QR code %zu of the proofs", i + 1);
			break;
		}
		int w = q[i]->width + 2 * QUIET;
		wmax = w > wmax ? w : wmax;
		htotal += w;
	}
	struct fs_buf b;
	fs_buf_init(&b, 8u << 20);
	/* each row's runs of dark modules as strokes one module wide along the row's middle */
	if (!rc && fs_buf_addf(&b, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" shape-rendering=\"crispEdges\" "
			       "data-parts=\"%zu\"><rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path stroke=\"#000\" d=\"",
			       wmax, htotal, k, wmax, htotal))
		rc = FS_ENOMEM;
	for (size_t i = 0, top = 0; !rc && i < k; top += (size_t)(q[i]->width + 2 * QUIET), i++)
		for (int y = 0; !rc && y < q[i]->width; y++)
			for (int x = 0, end = -1; !rc && x < q[i]->width;) {
				if (!(q[i]->data[y * q[i]->width + x] & 1)) {
					x++;
					continue;
				}
				int run = 0;
				while (x + run < q[i]->width && (q[i]->data[y * q[i]->width + x + run] & 1))
					run++;
				rc = (end < 0 ? fs_buf_addf(&b, "M%d %zu.5h%d", x + QUIET, top + (size_t)(y + QUIET), run)
					      : fs_buf_addf(&b, "m%d 0h%d", x - end, run)) ? FS_ENOMEM : 0;
				x += run;
				end = x;
			}
	if (!rc && fs_buf_adds(&b, "\"/></svg>"))
		rc = FS_ENOMEM;
	for (size_t i = 0; i < k; i++)
		QRcode_free(q[i]);
	if (rc) {
		fs_buf_done(&b);
		return rc;
	}
	*ret = fs_buf_take(&b);
	return 0;
}

void fs_proofs_attach(json_t *j, const char *proofs, const struct fs_error *why)
{
	fs_proofs_attach_qr(j, proofs, why, 1);
}

void fs_proofs_attach_qr(json_t *j, const char *proofs, const struct fs_error *why, int qr)
{
	char *svg = NULL;
	struct fs_error e = {0};
	if (qr && proofs && fs_qr_svg(proofs, &svg, &e))
		svg = NULL;
	json_object_set_new(j, "proofs", proofs ? json_string(proofs) : json_null());
	if (qr)
		json_object_set_new(j, "proof_qr_svg", svg ? json_string(svg) : json_null());
	/* why there are none; a signing key's path stays with whoever runs fairshare */
	if (!proofs && why)
		json_object_set_new(j, "proofs_missing",
				    json_string(!strcmp(why->field, "signing-key")
							? "the signing key cannot be read: no checkpoint can be signed now"
							: why->message));
	free(svg);
}
