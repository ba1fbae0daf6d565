/* test_http.c - unit tests of src/http without a server: the query-parameter table
 * (params.c), the front door's head check (front.c), the framing rules
 * (transport.c), the body parser's types and errors (body.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>
#include <string.h>

#include "http/body.h"
#include "http/front.h"
#include "http/params.h"
#include "http/respond.h"
#include "http/transport.h"
#include "util/utf8.h"

static int check(const char *method, const char *path, const char *query, unsigned *status, struct fs_error *err)
{
	char buf[256], *seg[8];
	size_t n = 0;
	snprintf(buf, sizeof(buf), "%s", path);
	for (char *save = NULL, *p = strtok_r(buf, "/", &save); p && n < 8; p = strtok_r(NULL, "/", &save))
		seg[n++] = p;
	int filters = 0;
	const struct fs_param *params = fs_params_for(method, seg, n, &filters, status);
	if (!params)
		return 1; /* no route */
	char q[512];
	struct fs_kv kv[16];
	size_t nk = 0;
	snprintf(q, sizeof(q), "%s", query);
	for (char *save = NULL, *p = strtok_r(q, "&", &save); p && nk < 16; p = strtok_r(NULL, "&", &save)) {
		char *eq = strchr(p, '=');
		if (eq)
			*eq = 0;
		kv[nk++] = (struct fs_kv){p, eq ? eq + 1 : NULL};
	}
	memset(err, 0, sizeof(*err));
	return fs_params_check(params, filters ? fs_entity_find(seg[2]) : NULL, kv, nk, err);
}

static void refused(const char *method, const char *path, const char *query, unsigned want_status, const char *field)
{
	unsigned status = 0;
	struct fs_error err;
	int rc = check(method, path, query, &status, &err);
	if (rc != FS_EINVAL)
		fail_msg("%s %s?%s was accepted", method, path, query);
	assert_int_equal(status, want_status);
	assert_string_equal(err.field, field);
	assert_int_equal(fs_utf8_invalid_at(err.message, strlen(err.message)), 0);
}

static void accepted(const char *method, const char *path, const char *query)
{
	unsigned status = 0;
	struct fs_error err;
	int rc = check(method, path, query, &status, &err);
	if (rc)
		fail_msg("%s %s?%s refused: %s", method, path, query, err.message);
}

static void test_params_table(void **state)
{
	(void)state;
	accepted("GET", "orgs/miners/watch", "workplace=1&as_of=2026-01-31");
	refused("GET", "orgs/miners/watch", "workplace=abc", 422, "workplace");
	refused("GET", "orgs/miners/watch", "workplace=0", 422, "workplace");
	refused("GET", "orgs/miners/watch", "workplace=1x", 422, "workplace");
	refused("GET", "orgs/miners/watch", "workplace=99999999999999999999", 422, "workplace");
	refused("GET", "orgs/miners/watch", "as_of=x", 422, "as_of");
	accepted("GET", "orgs/miners/statement/1", "lang=kk");
	refused("GET", "orgs/miners/statement/1", "lang=xx", 422, "lang");
	accepted("GET", "orgs/oil/record/duplicates", "limit=1000");
	refused("GET", "orgs/oil/record/duplicates", "limit=0", 422, "limit");
	refused("GET", "orgs/oil/record/duplicates", "limit=1001", 422, "limit");
	refused("GET", "orgs/oil/record/alerts", "hours=8761", 422, "hours");
	refused("GET", "orgs/oil/record/counts", "by=colour", 422, "by");
	refused("GET", "orgs/oil/record/counts", "public=yes", 422, "public");
	refused("GET", "orgs/oil/record/export", "format=csv", 422, "collection");
	accepted("GET", "orgs/oil/record/export", "collection=demands&format=json");
	refused("GET", "orgs/oil/record/suggestions", "x=1", 422, "x");
	accepted("GET", "orgs/miners/people", "limit=10000&offset=0&q=ilder");
	refused("GET", "orgs/miners/people", "limit=10001", 400, "limit");
	refused("GET", "orgs/miners/people", "limit=-1", 400, "limit");
	refused("GET", "orgs/miners/people", "offset=-1", 400, "offset");
	refused("GET", "orgs/miners/people", "limit=1&limit=2", 400, "limit");
	refused("GET", "orgs/miners/people", "shoe=42", 400, "shoe");
	refused("GET", "orgs/miners/people", "national_id=1", 400, "national_id"); /* sealed: no filter */
	accepted("GET", "orgs/miners/employments", "workplace_id=1&person_id=2");
	refused("GET", "orgs/miners/employments", "workplace=1", 400, "workplace");
	refused("GET", "orgs/miners/people/1", "reveal=yes", 400, "reveal");
	refused("POST", "orgs/miners/people/import", "dry_run=yes", 400, "dry_run");
	refused("GET", "orgs/miners/funds/1/balances", "x=1", 400, "x");
	refused("POST", "orgs/oil/evidence", "kind=photo", 422, "filename");
	refused("GET", "me", "x=1", 422, "x");
	unsigned status;
	struct fs_error err;
	assert_int_equal(check("GET", "orgs/miners/nothing", "limit=abc", &status, &err), 1); /* 404 first */
}

static void head_refused(const char *head, unsigned status)
{
	struct fs_http_refusal r;
	if (fs_front_check_head(head, strlen(head), &r) == 0)
		fail_msg("head accepted: %s", head);
	assert_int_equal(r.status, status);
	assert_non_null(r.code);
	assert_non_null(r.message);
}

static void head_accepted(const char *head)
{
	struct fs_http_refusal r;
	if (fs_front_check_head(head, strlen(head), &r))
		fail_msg("head refused (%u %s): %s", r.status, r.message, head);
}

static void test_front_head(void **state)
{
	(void)state;
	head_accepted("GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n");
	head_accepted("GET /api/v1/health HTTP/1.0\r\n\r\n"); /* 1.0: no Host needed */
	head_accepted("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\n");
	head_accepted("GET /a HTTP/1.1\nHost: x\n\n"); /* bare LF line ends */
	head_accepted("GET /a HTTP/1.1\r\nhost:x\r\nX-Empty:\r\n\r\n");
	head_refused("GET /a HTTP/1.1\r\n\r\n", 400);                       /* no Host */
	head_refused("GET /a HTTP/1.1\r\nHost: x\r\nbad line\r\n\r\n", 400); /* no colon */
	head_refused("GET /a HTTP/1.1\r\nHost: x\r\nBad Name: 1\r\n\r\n", 400);
	head_refused("GET /a HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n", 400);
	head_refused("GET /a HTTP/1.1\r\nHost: x\r\nX: a\x01b\r\n\r\n", 400);
	head_refused("GET /a HTTP/1.1\r\nHost: x\r\nX: a\x7f\r\n\r\n", 400);
	head_refused("GET/a HTTP/1.1\r\nHost: x\r\n\r\n", 400);
	head_refused("GET /a  HTTP/1.1\r\nHost: x\r\n\r\n", 400);
	head_refused("GET /a\x01 HTTP/1.1\r\nHost: x\r\n\r\n", 400);
	head_refused(" GET /a HTTP/1.1\r\nHost: x\r\n\r\n", 400);
	head_refused("GET /a HTTP/2.0\r\nHost: x\r\n\r\n", 505);
	head_refused("GET /a HTTP/1.7\r\nHost: x\r\n\r\n", 505);
	head_refused("GET /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", 501);
	head_refused("GET /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n", 411);
	head_refused("GET /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n", 400);
	head_refused("GET /a HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n", 400);
	head_refused("GET /a HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", 400);
	head_refused("GET /a HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n", 400);
	head_refused("GET /a HTTP/1.1\r\nHost: x\r\nContent-Length: 1 2\r\n\r\n", 400);
}

static void body_refused(const char *entity, const char *json, const char *code, const char *field)
{
	struct fs_body b;
	struct fs_body_error err;
	memset(&err, 0, sizeof(err));
	if (fs_body_parse(json, strlen(json), entity ? fs_entity_find(entity) : NULL, &b, &err) == 0) {
		fs_body_free(&b);
		fail_msg("body accepted: %s", json);
	}
	assert_string_equal(err.code, code);
	assert_string_equal(err.field, field);
	assert_int_equal(fs_utf8_invalid_at(err.message, strlen(err.message)), 0);
}

static void body_value(const char *entity, const char *json, const char *key, const char *value)
{
	struct fs_body b;
	struct fs_body_error err;
	if (fs_body_parse(json, strlen(json), fs_entity_find(entity), &b, &err))
		fail_msg("body refused (%s: %s): %s", err.code, err.message, json);
	int found = 0;
	for (size_t i = 0; i < b.n; i++)
		if (!strcmp(b.kv[i].key, key)) {
			assert_string_equal(b.kv[i].value, value);
			found = 1;
		}
	fs_body_free(&b);
	assert_true(found);
}

static void test_body_types(void **state)
{
	(void)state;
	body_refused("person", "{\"full_name\":true}", "wrong_type", "full_name");
	body_refused("person", "{\"full_name\":12}", "wrong_type", "full_name");
	body_refused("person", "{\"full_name\":1.5}", "wrong_type", "full_name");
	body_refused("person", "{\"full_name\":[\"a\"]}", "wrong_type", "full_name");
	body_refused("employment", "{\"wage\":1800}", "wrong_type", "wage");
	body_refused("employment", "{\"wage_minor\":\"180000\"}", "wrong_type", "wage_minor");
	body_refused("employment", "{\"person_id\":true}", "wrong_type", "person_id");
	body_refused("person", "{\"shoe\":1}", "unknown_field", "shoe");
	body_refused("person", "[]", "wrong_type", "");
	body_refused("person", "42", "wrong_type", "");
	body_refused("person", "{\"a\":1,\"a\":2}", "duplicate_key", "");
	body_refused("person", "{\"full_name\":\"a\\u0000b\"}", "nul_character", "");
	body_refused("person", "{\"full_name\":1e99999}", "number_out_of_range", "");
	body_refused("person", "{\"full_name\":\"\xff\"}", "invalid_utf8", "");
	body_refused("person", "[\"\\\xc3\xa9\"]", "malformed_json", ""); /* the body that hung a worker */
	body_value("person", "{\"full_name\":\"Ayşe\",\"phone\":null}", "phone", "");
	body_value("employment", "{\"wage_minor\":180000}", "wage", "1800.00");
	body_value("employment", "{\"person_id\":7}", "person_id", "7");
	body_value("employment", "{\"person_id\":\"7\"}", "person_id", "7");
	/* a long key cut inside a character: the field and message stay valid UTF-8 */
	char key[300] = "{\"";
	for (int i = 0; i < 60; i++)
		strcat(key, "ş");
	strcat(key, "\":1}");
	struct fs_body b;
	struct fs_body_error err;
	assert_int_not_equal(fs_body_parse(key, strlen(key), fs_entity_find("person"), &b, &err), 0);
	assert_int_equal(fs_utf8_invalid_at(err.field, strlen(err.field)), 0);
	assert_int_equal(fs_utf8_invalid_at(err.message, strlen(err.message)), 0);
}

static void test_check_object(void **state)
{
	(void)state;
	static const struct fs_json_field f[] = {{"id", JSON_STRING, 1}, {"n", JSON_INTEGER, 0}, {"b", JSON_TRUE, 0}, {NULL, 0, 0}};
	static const struct {
		const char *json, *code, *field;
	} cases[] = {
		{"{\"id\":\"a\",\"n\":1,\"b\":false}", NULL, NULL}, {"{\"id\":\"a\",\"n\":null}", NULL, NULL},
		{"{\"id\":\"a\",\"n\":\"1\"}", "wrong_type", "n"},   {"{\"id\":\"a\",\"n\":1.0}", "wrong_type", "n"},
		{"{\"id\":\"a\",\"b\":1}", "wrong_type", "b"},         {"{\"id\":1}", "wrong_type", "id"},
		{"{\"n\":1}", "wrong_type", "id"},                       {"{\"id\":null}", "wrong_type", "id"},
		{"{\"id\":\"a\",\"x\":1}", "unknown_field", "x"},      {"[1]", "wrong_type", ""},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_t *j = json_loads(cases[i].json, 0, NULL);
		struct fs_body_error err;
		memset(&err, 0, sizeof(err));
		int rc = fs_body_check_object(j, f, &err);
		json_decref(j);
		if (!cases[i].code) {
			if (rc)
				fail_msg("%s refused: %s", cases[i].json, err.message);
			continue;
		}
		if (!rc)
			fail_msg("%s accepted", cases[i].json);
		assert_string_equal(err.code, cases[i].code);
		assert_string_equal(err.field, cases[i].field);
	}
}

static void test_error_body(void **state)
{
	(void)state;
	char *j = fs_http_error_body("invalid", "'\xd0\xbd\xd0", "f\xff"); /* cut and invalid bytes */
	assert_non_null(j);
	assert_int_equal(fs_utf8_invalid_at(j, strlen(j)), 0);
	assert_non_null(strstr(j, "\"code\":\"invalid\""));
	free(j);
}

/* respond.c against a real libmicrohttpd daemon: a JSON body that cannot be built
 * becomes the fixed 500; an error quoting bad bytes stays valid JSON. */
static int responded_seen = -1;

static enum MHD_Result respond_handler(void *cls, struct MHD_Connection *c, const char *url, const char *method,
				       const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
	(void)cls, (void)method, (void)version, (void)upload, (void)upload_size;
	if (!*con_cls) {
		*con_cls = (void *)1;
		return MHD_YES;
	}
	fs_http_begin();
	enum MHD_Result r = !strcmp(url, "/null") ? fs_http_send_json(c, 200, NULL, NULL)
						 : fs_http_send_error(c, 422, "invalid", "'\xd0\xbd\xd0", "f\xff");
	responded_seen = fs_http_responded();
	return r;
}

static void fetch(unsigned port, const char *path, char *out, size_t cap)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	char req[128];
	int n = snprintf(req, sizeof(req), "GET %s HTTP/1.0\r\n\r\n", path);
	assert_int_equal(write(fd, req, (size_t)n), n);
	size_t len = 0;
	ssize_t got;
	while (len + 1 < cap && (got = read(fd, out + len, cap - 1 - len)) > 0)
		len += (size_t)got;
	out[len] = 0;
	close(fd);
}

static void test_respond(void **state)
{
	(void)state;
	struct MHD_Daemon *d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL, respond_handler, NULL,
						MHD_OPTION_END);
	assert_non_null(d);
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	assert_non_null(di);
	char out[4096];
	fetch(di->port, "/null", out, sizeof(out));
	assert_non_null(strstr(out, "HTTP/1.1 500 "));
	assert_non_null(strstr(out, "{\"error\":{\"code\":\"internal\",\"message\":\"internal error\"}}"));
	assert_non_null(strstr(out, "X-Frame-Options: DENY"));
	assert_int_equal(responded_seen, 1);
	fetch(di->port, "/bad", out, sizeof(out));
	assert_non_null(strstr(out, "HTTP/1.1 422 "));
	assert_non_null(strstr(out, "Content-Security-Policy: default-src 'self'"));
	const char *body = strstr(out, "\r\n\r\n");
	assert_non_null(body);
	assert_int_equal(fs_utf8_invalid_at(body, strlen(body)), 0);
	assert_non_null(strstr(body, "\"field\":\"f?\""));
	MHD_stop_daemon(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_params_table),
		cmocka_unit_test(test_front_head),
		cmocka_unit_test(test_body_types),
		cmocka_unit_test(test_error_body),
		cmocka_unit_test(test_check_object),
		cmocka_unit_test(test_respond),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
