/* sort.h - an in-place sort of an array of one type, its comparison inlined:
 * FS_SORT_DEFINE(name, type, less) defines static void name(type *a, size_t n),
 * where less(x, y) (two const type *) is a strict order. Introsort: quicksort
 * on the median of three, insertion sort below 16 elements, heapsort when the
 * partitions go too deep (never quadratic). Not stable. For the big sorts of
 * the record's counts, where qsort's call per comparison and its merge copies
 * were most of the time. */
#ifndef FS_SORT_H
#define FS_SORT_H

#include <stddef.h>

#define FS_SORT_DEFINE(name, type, less)                                                          \
	static void name##_swap(type *x, type *y)                                                 \
	{                                                                                         \
		type t = *x;                                                                      \
		*x = *y;                                                                          \
		*y = t;                                                                           \
	}                                                                                         \
	static void name##_sift(type *a, size_t root, size_t n)                                   \
	{                                                                                         \
		for (size_t child; (child = 2 * root + 1) < n; root = child) {                    \
			if (child + 1 < n && less(&a[child], &a[child + 1]))                      \
				child++;                                                          \
			if (!less(&a[root], &a[child]))                                           \
				return;                                                           \
			name##_swap(&a[root], &a[child]);                                         \
		}                                                                                 \
	}                                                                                         \
	static void name##_intro(type *a, size_t n, int depth)                                    \
	{                                                                                         \
		while (n > 16) {                                                                  \
			if (depth-- == 0) {                                                       \
				for (size_t i = n / 2; i-- > 0;)                                  \
					name##_sift(a, i, n);                                     \
				for (size_t end = n - 1; end > 0; end--) {                        \
					name##_swap(&a[0], &a[end]);                              \
					name##_sift(a, 0, end);                                   \
				}                                                                 \
				return;                                                           \
			}                                                                         \
			/* the median of the first, middle and last to a[0]: the pivot */        \
			size_t mid = n / 2;                                                       \
			if (less(&a[mid], &a[0]))                                                 \
				name##_swap(&a[mid], &a[0]);                                      \
			if (less(&a[n - 1], &a[mid]))                                             \
				name##_swap(&a[n - 1], &a[mid]);                                  \
			if (less(&a[mid], &a[0]))                                                 \
				name##_swap(&a[mid], &a[0]);                                      \
			name##_swap(&a[0], &a[mid]);                                              \
			/* Hoare's partition around a[0] */                                       \
			size_t i = 0, j = n;                                                      \
			for (;;) {                                                                \
				do                                                                \
					i++;                                                      \
				while (i < n && less(&a[i], &a[0]));                              \
				do                                                                \
					j--;                                                      \
				while (less(&a[0], &a[j]));                                       \
				if (i >= j)                                                       \
					break;                                                    \
				name##_swap(&a[i], &a[j]);                                        \
			}                                                                         \
			name##_swap(&a[0], &a[j]);                                                \
			/* the smaller side by recursion, the larger by the loop */               \
			if (j < n - j - 1) {                                                      \
				name##_intro(a, j, depth);                                        \
				a += j + 1;                                                       \
				n -= j + 1;                                                       \
			} else {                                                                  \
				name##_intro(a + j + 1, n - j - 1, depth);                        \
				n = j;                                                            \
			}                                                                         \
		}                                                                                 \
		for (size_t i = 1; i < n; i++)                                                    \
			for (size_t k = i; k > 0 && less(&a[k], &a[k - 1]); k--)                  \
				name##_swap(&a[k], &a[k - 1]);                                    \
	}                                                                                         \
	static void name(type *a, size_t n)                                                       \
	{                                                                                         \
		int depth = 0;                                                                    \
		for (size_t m = n; m > 1; m >>= 1)                                                \
			depth += 2;                                                               \
		name##_intro(a, n, depth);                                                        \
	}

#endif
