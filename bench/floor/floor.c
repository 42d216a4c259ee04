// SPDX-License-Identifier: MIT
/*
 * bench_floor: runs a command under the floor probe (floor.bpf.c) and
 * reads its per-CPU rings as kcap's reader does (polled, the consumer
 * position published once per batch), counting and discarding the events.
 * usage: bench_floor COMMAND [ARG...]
 * Prints "floor: N events, D drops" on stderr; exits with the command's status.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "floor.skel.h"

#define RING_BYTES (8u << 20)	/* kcap's default */
#define RB_BUSY (1u << 31)
#define RB_HDR 8

struct ring {
	unsigned long *consumer;
	const unsigned long *producer;
	const unsigned char *data;
	unsigned long cons;
};

static int open_ring(struct ring *r, int fd)
{
	long page = sysconf(_SC_PAGESIZE);
	void *cons, *prod;

	cons = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	prod = mmap(NULL, page + 2 * (size_t)RING_BYTES, PROT_READ, MAP_SHARED, fd, page);
	if (cons == MAP_FAILED || prod == MAP_FAILED)
		return -1;
	r->consumer = cons;
	r->producer = prod;
	r->data = (const unsigned char *)prod + page;
	r->cons = *r->consumer;
	return 0;
}

/* Counts the ring's finished records; publishes the position once. */
static unsigned long drain(struct ring *r)
{
	unsigned long prod = __atomic_load_n(r->producer, __ATOMIC_ACQUIRE), n = 0;

	while (r->cons < prod) {
		const unsigned int *hdr = (const unsigned int *)(r->data +
								 (r->cons & (RING_BYTES - 1)));
		unsigned int len = __atomic_load_n(hdr, __ATOMIC_ACQUIRE);

		if (len & RB_BUSY)
			break;
		r->cons += ((len & 0x3fffffff) + RB_HDR + 7) & ~7ul;
		n++;
	}
	__atomic_store_n(r->consumer, r->cons, __ATOMIC_RELEASE);
	return n;
}

static int setup(struct floor_bpf **skelp, struct ring **ringsp, int *ncpus)
{
	struct floor_bpf *skel = floor_bpf__open();
	struct ring *rings;
	int n = libbpf_num_possible_cpus(), cpu;

	if (!skel || n <= 0 || n > 512 || bpf_map__set_max_entries(skel->maps.rings, n))
		return -1;
	rings = calloc((size_t)n, sizeof(*rings));
	if (!rings)
		return -1;
	skel->rodata->reader_tgid = (__u32)getpid();
	for (cpu = 0; cpu < n; cpu++) {
		int fd = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "floor_ring", 0, 0, RING_BYTES, NULL);

		if (fd < 0 || open_ring(&rings[cpu], fd))
			return -1;
		/* The first ring is the prototype of the map of rings. */
		if (cpu == 0 && (bpf_map__set_inner_map_fd(skel->maps.rings, fd) ||
				 floor_bpf__load(skel)))
			return -1;
		if (bpf_map_update_elem(bpf_map__fd(skel->maps.rings), &cpu, &fd, BPF_ANY))
			return -1;
	}
	if (floor_bpf__attach(skel))
		return -1;
	*skelp = skel;
	*ringsp = rings;
	*ncpus = n;
	return 0;
}

int main(int argc, char **argv)
{
	struct floor_bpf *skel = NULL;
	unsigned long events = 0;
	struct ring *rings = NULL;
	int ncpus = 0, status = 0, cpu, done = 0;
	pid_t child;

	if (argc < 2) {
		fprintf(stderr, "usage: bench_floor COMMAND [ARG...]\n");
		return 2;
	}
	if (setup(&skel, &rings, &ncpus)) {
		fprintf(stderr, "bench_floor: cannot load and attach the floor probe: %s\n",
			strerror(errno));
		return 1;
	}
	child = fork();
	if (child == 0) {
		execvp(argv[1], argv + 1);
		_exit(127);
	}
	while (!done) {
		unsigned long got = 0;

		done = waitpid(child, &status, WNOHANG) == child;
		for (cpu = 0; cpu < ncpus; cpu++)
			got += drain(&rings[cpu]);
		events += got;
		if (!got && !done)
			poll(NULL, 0, 10);
	}
	fprintf(stderr, "floor: %lu events, %llu drops\n", events,
		(unsigned long long)skel->bss->drops);
	floor_bpf__destroy(skel);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
