/* respond.c - building and queueing responses (see respond.h). */
#include "respond.h"
#include "ops.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "body.h"
#include "gzip.h"

const char *const fs_http_security_headers[][2] = {
	{"Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; base-uri 'none'"},
	{"X-Content-Type-Options", "nosniff"},
	{"X-Frame-Options", "DENY"},
	{"Referrer-Policy", "no-referrer"},
	{"Cache-Control", "no-store"},
	{NULL, NULL},
};

static _Thread_local int responded;
static _Thread_local struct MHD_Response **deferred;
static _Thread_local unsigned *deferred_status;

void fs_http_defer(struct MHD_Response **r, unsigned *status)
{
	deferred = r, deferred_status = status;
}

void fs_http_begin(void)
{
	responded = 0;
}

int fs_http_responded(void)
{
	return responded;
}

void fs_http_add_security_headers(struct MHD_Response *r)
{
	for (size_t i = 0; fs_http_security_headers[i][0]; i++)
		if (!MHD_get_response_header(r, fs_http_security_headers[i][0])) /* one the caller set wins (static files' caching) */
			MHD_add_response_header(r, fs_http_security_headers[i][0], fs_http_security_headers[i][1]);
}

static enum MHD_Result queue(struct MHD_Connection *c, unsigned status, struct MHD_Response *r)
{
	if (deferred) { /* the first answer wins, as MHD_queue_response's second refusal */
		if (*deferred) {
			MHD_destroy_response(r);
			return MHD_NO;
		}
		*deferred = r, *deferred_status = status;
		responded = 1;
		return MHD_YES;
	}
	enum MHD_Result ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	if (ret == MHD_YES)
		responded = 1;
	return ret;
}

enum MHD_Result fs_http_queue(struct MHD_Connection *c, unsigned status, struct MHD_Response *r)
{
	fs_http_add_security_headers(r);
	return queue(c, status, r);
}

enum MHD_Result fs_http_send_500(struct MHD_Connection *c)
{
	static const char body[] = "{\"error\":{\"code\":\"internal\",\"message\":\"internal error\"}}";
	/* no path, no query, no body: nothing about the person in the log */
	fprintf(stderr, "http 500: no response could be built; answered with the fixed 500\n");
	struct MHD_Response *r = MHD_create_response_from_buffer(sizeof(body) - 1, (void *)body, MHD_RESPMEM_PERSISTENT);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", "application/json; charset=utf-8");
	fs_http_add_security_headers(r);
	return queue(c, 500, r);
}

enum MHD_Result fs_http_send(struct MHD_Connection *c, unsigned status, const char *type, char *body, size_t len,
			     const char *cookie)
{
	/* gzip when the client accepts it. No response that sets a cookie; the
	 * session cookie is SameSite=Strict, so no other site can have a browser
	 * ask for a logged-in answer and measure its length (BREACH). */
	int gz = 0;
	if (len >= FS_GZIP_MIN && !cookie && fs_accepts_gzip(c)) {
		size_t zlen = 0;
		char *z = fs_gzip(body, len, 6, &zlen);
		if (z && zlen < len) {
			free(body);
			body = z, len = zlen, gz = 1;
		} else
			free(z);
	}
	struct MHD_Response *r = MHD_create_response_from_buffer(len, len ? body : NULL,
								 len ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
	if (!len)
		free(body);
	if (!r) {
		if (len)
			free(body);
		return fs_http_send_500(c);
	}
	if (MHD_add_response_header(r, "Content-Type", type) != MHD_YES || MHD_add_response_header(r, "Vary", "Accept-Encoding") != MHD_YES ||
	    (gz && MHD_add_response_header(r, "Content-Encoding", "gzip") != MHD_YES)) {
		MHD_destroy_response(r);
		return fs_http_send_500(c);
	}
	/* none of them is set yet: added without looking for one first */
	for (size_t i = 0; fs_http_security_headers[i][0]; i++)
		if (MHD_add_response_header(r, fs_http_security_headers[i][0], fs_http_security_headers[i][1]) != MHD_YES) {
			MHD_destroy_response(r);
			return fs_http_send_500(c);
		}
	fs_https_headers(c, r, cookie); /* Set-Cookie (Secure over HTTPS) and HSTS over HTTPS */
	return queue(c, status, r);
}

enum MHD_Result fs_http_send_json(struct MHD_Connection *c, unsigned status, json_t *j, const char *cookie)
{
	char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
	json_decref(j);
	if (!text)
		return fs_http_send_500(c);
	return fs_http_send(c, status, "application/json; charset=utf-8", text, strlen(text), cookie);
}

enum MHD_Result fs_http_send_error(struct MHD_Connection *c, unsigned status, const char *code, const char *message,
				   const char *field)
{
	char *text = fs_http_error_body(code, message, field);
	if (!text)
		return fs_http_send_500(c);
	return fs_http_send(c, status, "application/json; charset=utf-8", text, strlen(text), NULL);
}
