/* qr.h - a proofs block as QR codes (qr.c): its parts, drawn as UTF-8 half
 * blocks or as one SVG. */
#ifndef FS_QR_H
#define FS_QR_H

#include <stddef.h>

struct fs_error;

enum { FS_QR_PART = 1000, FS_QR_MAX_PARTS = 64 };

/* The parts of text[0..n) one QR code each: start and length, at most max; how many. */
size_t fs_qr_parts(const char *text, size_t n, size_t *start, size_t *len, size_t max);
/* fs_qr_text and fs_qr_svg: fairshare.h */

#endif
