/* proxy.c - who is asking and over what: the peer's address, or behind the one
 * trusted reverse proxy (--trusted-proxy) the address and scheme it forwards;
 * X-Forwarded-* from anyone else are ignored. Secure cookies and HSTS over HTTPS. */
#include "ops.h"
#include "http.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* the running server's --trusted-proxy (health.c's fs_ops_start sets it: the
 * server's options stay with health.c, and proxy.c calls nothing there) */
static const char *trusted_proxy;

void fs_proxy_trust(const char *addr)
{
	trusted_proxy = addr;
}

static int peer_addr(struct MHD_Connection *c, char *out, size_t n)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (!ci || !ci->client_addr || ci->client_addr->sa_family != AF_INET)
		return -1;
	const struct sockaddr_in *sin = (const struct sockaddr_in *)(const void *)ci->client_addr;
	return inet_ntop(AF_INET, &sin->sin_addr, out, (socklen_t)n) ? 0 : -1;
}

static int from_proxy(struct MHD_Connection *c)
{
	char peer[INET_ADDRSTRLEN];
	const char *proxy = trusted_proxy;
	return proxy && !peer_addr(c, peer, sizeof(peer)) && !strcmp(peer, proxy);
}

int fs_client_addr(struct MHD_Connection *c, char *out, size_t n)
{
	if (peer_addr(c, out, n))
		return -1;
	const char *xff = from_proxy(c) ? MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-For") : NULL;
	if (!xff)
		return 0;
	/* the proxy appends the address it saw last: earlier hops are the client's word */
	const char *last = strrchr(xff, ',');
	last = last ? last + 1 : xff;
	while (*last == ' ')
		last++;
	char hop[INET_ADDRSTRLEN];
	struct in_addr a;
	size_t len = strcspn(last, " ,\t");
	if (len == 0 || len >= sizeof(hop))
		return -1;
	memcpy(hop, last, len);
	hop[len] = '\0';
	if (inet_pton(AF_INET, hop, &a) != 1 || len >= n)
		return -1; /* a forwarded address we cannot read is no address */
	memcpy(out, hop, len + 1);
	return 0;
}

int fs_request_https(struct MHD_Connection *c)
{
	if (fs_tls_on())
		return 1;
	const char *proto = from_proxy(c) ? MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-Proto") : NULL;
	return proto && !strcasecmp(proto, "https");
}

void fs_https_headers(struct MHD_Connection *c, struct MHD_Response *r, const char *cookie)
{
	int https = fs_request_https(c);
	if (https) /* a year, as browsers' preload lists ask; no includeSubDomains: other hosts are not ours */
		MHD_add_response_header(r, "Strict-Transport-Security", "max-age=31536000");
	if (!cookie)
		return;
	char line[512];
	if ((size_t)snprintf(line, sizeof(line), "%s%s", cookie, https ? "; Secure" : "") < sizeof(line))
		MHD_add_response_header(r, "Set-Cookie", line);
}
