// SPDX-License-Identifier: MIT
/*
 * Workloads for the hook benchmarks (bench_hooks.sh), each printing how
 * many of its things it did and how long it took:
 *   pingpong N   two threads passing a byte over pipes N times: 2N context
 *                switches when they share a CPU
 *   faults N     N fresh pages written, each a page fault
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static int ping[2], pong[2];
static long rounds;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *ponger(void *arg)
{
	char c;
	long i;

	(void)arg;
	for (i = 0; i < rounds; i++)
		if (read(ping[0], &c, 1) != 1 || write(pong[1], &c, 1) != 1)
			exit(1);
	return NULL;
}

static int pingpong(void)
{
	cpu_set_t one;
	pthread_t th;
	double t0;
	char c = 'x';
	long i;

	CPU_ZERO(&one);
	CPU_SET(0, &one);
	if (sched_setaffinity(0, sizeof(one), &one) || pipe(ping) || pipe(pong) ||
	    pthread_create(&th, NULL, ponger, NULL))
		return 1;
	t0 = now();
	for (i = 0; i < rounds; i++)
		if (write(ping[1], &c, 1) != 1 || read(pong[0], &c, 1) != 1)
			return 1;
	pthread_join(th, NULL);
	printf("pingpong: %ld rounds in %.3f s\n", rounds, now() - t0);
	return 0;
}

static int faults(void)
{
	const long chunk = 4096;	/* pages per mapping */
	double t0 = now();
	long done = 0, i;

	while (done < rounds) {
		char *p = mmap(NULL, chunk * 4096, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			return 1;
		for (i = 0; i < chunk && done < rounds; i++, done++)
			p[i * 4096] = 1;
		munmap(p, chunk * 4096);
	}
	printf("faults: %ld pages in %.3f s\n", rounds, now() - t0);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 3 || (rounds = atol(argv[2])) <= 0) {
		fprintf(stderr, "usage: workloads pingpong|faults N\n");
		return 2;
	}
	if (!strcmp(argv[1], "pingpong"))
		return pingpong();
	if (!strcmp(argv[1], "faults"))
		return faults();
	fprintf(stderr, "workloads: unknown workload %s\n", argv[1]);
	return 2;
}
