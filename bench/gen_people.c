/* gen_people.c - writes N synthetic people as CSV (made-up names, valid-format
 * unique Turkish national IDs) for the import benchmark. */
#include <stdio.h>
#include <stdlib.h>

static const char *const given[] = {"Ahmet", "Mehmet", "Ayşe", "Fatma", "İlker", "Şükrü", "Özlem", "Çetin", "Ümit", "Gülşen"};
static const char *const family[] = {"Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Öztürk", "Ağaoğlu", "İlder", "Güneş", "Uçar"};

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1000000;
	printf("external_id,full_name,national_id,birth_date,phone,address\n");
	unsigned long long x = 88172645463325252ULL;
	for (long i = 0; i < n; i++) {
		int d[11];
		long base = 100000000 + i; /* unique 9-digit prefix */
		for (int k = 8; k >= 0; k--, base /= 10)
			d[k] = (int)(base % 10);
		int odd = d[0] + d[2] + d[4] + d[6] + d[8], even = d[1] + d[3] + d[5] + d[7];
		d[9] = ((odd * 7 - even) % 10 + 10) % 10;
		int sum = 0;
		for (int k = 0; k < 10; k++)
			sum += d[k];
		d[10] = sum % 10;
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		printf("B-%07ld,\"%s %s\",", i, given[x % 10], family[(x >> 8) % 10]);
		for (int k = 0; k < 11; k++)
			putchar('0' + d[k]);
		printf(",%04d-%02d-%02d,+90 555 %03d %02d %02d,\"Demo Mah. %d. Sokak No: %d, Karadere\"\n",
		       1950 + (int)((x >> 16) % 50), 1 + (int)((x >> 24) % 12), 1 + (int)((x >> 28) % 28),
		       (int)((x >> 32) % 1000), (int)((x >> 40) % 100), (int)((x >> 48) % 100),
		       1 + (int)((x >> 52) % 40), 1 + (int)((x >> 56) % 120));
	}
	return 0;
}
