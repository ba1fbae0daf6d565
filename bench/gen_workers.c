/* gen_workers.c - writes N synthetic discharged workers (people + employment) as
 * CSV for the claims benchmark: hire dates 1990-2011, terminated 2011-08-31. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 1000000;
	printf("external_id,full_name,workplace,hired,terminated,reason,wage,benefits,underground\n");
	unsigned long long x = 0x2545F4914F6CDD1DULL;
	for (long i = 0; i < n; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		printf("C-%07ld,Worker %ld,1,%04d-%02d-%02d,2011-08-31,closure,%d.%02d,%d.00,%s\n", i, i,
		       1990 + (int)(x % 21), 1 + (int)((x >> 8) % 12), 1 + (int)((x >> 16) % 28),
		       1100 + (int)((x >> 24) % 1700), (int)((x >> 36) % 100), 150 + (int)((x >> 44) % 300),
		       (x >> 52) % 3 ? "yes" : "no");
	}
	return 0;
}
