// SPDX-License-Identifier: MIT
/*
 * A syscall storm for the drivers: for a bounded time, processes of an
 * unprivileged user (nobody) make random system calls, x86_64 and ia32, with
 * random arguments: small numbers, huge ones, pointers into mapped memory and
 * path strings, into a PROT_NONE page, into unmapped memory and into kernel
 * addresses; meanwhile they fork, start threads that exit, and exec while
 * being traced. Run under `kcap capture`, it is what a hostile local user
 * does to the drivers' fillers; the kernel must not warn, oops or leak.
 *
 * usage: kcap_storm SECONDS [WORKERS]      (as root: it drops to nobody)
 *
 * A 2 ms timer interrupts a worker's blocking calls; the supervisor keeps
 * WORKERS workers alive, kills one that still lives after 1 s (it blocked
 * the timer's signal, say), reaps every orphan (it is their subreaper), and exits 0 at the end
 * with the number of syscalls made on stdout. A worker's resources are
 * bounded (address space, file size, fds, processes), its files live on a
 * 16 MiB tmpfs, and it cannot signal what is not nobody's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NOBODY 65534
#define STORM_DIR "/tmp/storm"
#define MAX_WORKERS 16
#define WORKER_SECONDS 1.0
#define CALLS_PER_WORKER 500
#define NR_X86_64 470		/* past the last syscall: ENOSYS comes too */
#define NR_IA32 470
#define ARENA (64 * 1024)

/* ---- randomness -------------------------------------------------------- */

static __thread uint64_t rng;

static uint64_t rnd(void)
{
	/* xorshift64*: fast, and a worker's seed replays its storm */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545F4914F6CDD1Dull;
}

static uint64_t below(uint64_t n)
{
	return rnd() % n;
}

/* ---- what arguments point at -------------------------------------------- */

static uint8_t *arena;		/* mapped, random bytes and path strings */
static uint8_t *guard;		/* a PROT_NONE page */
static uintptr_t unmapped;	/* a page that was mapped, then unmapped */

static const char *const paths[] = { STORM_DIR "/f", STORM_DIR "/d", STORM_DIR "/d/g", "f",
				     "d/../f", ".", "..", "/proc/self/status", "/proc/self/fd/0",
				     "/nonexistent/x", "", "/" };

static void fill_arena(void)
{
	size_t i, off = ARENA / 2;

	for (i = 0; i < ARENA / 8; i++)
		((uint64_t *)arena)[i] = rnd();
	/* The second half: NUL-terminated paths, some ready-made, some not. */
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		size_t n = strlen(paths[i]) + 1;

		memcpy(arena + off, paths[i], n);
		off += n;
	}
}

static uint64_t pointer(void)
{
	switch (below(8)) {
	case 0: return (uint64_t)(uintptr_t)guard + below(4096);
	case 1: return unmapped + below(4096);
	case 2: return 0xffffffff81000000ull + below(1 << 20);	/* kernel text */
	case 3: return 0xffff888000000000ull + below(1 << 20);	/* direct map */
	case 4: return (uint64_t)(uintptr_t)(arena + ARENA / 2 + below(64));	/* paths */
	case 5: return (uint64_t)(uintptr_t)(arena + ARENA - below(16));	/* runs off */
	default: return (uint64_t)(uintptr_t)(arena + below(ARENA));
	}
}

static uint64_t argument(void)
{
	switch (below(10)) {
	case 0: return 0;
	case 1: return (uint64_t)-1;
	case 2: return below(32);			/* fds, small counts */
	case 3: return 1ull << below(64);
	case 4: return (uint64_t)(-(int64_t)below(200));	/* AT_FDCWD, errnos */
	case 5: return rnd();
	case 6: return below(4096) * 4096;		/* lengths */
	default: return pointer();
	}
}

/* ---- calls ---------------------------------------------------------------- */

/* An ia32 syscall from this 64-bit process: its own table, 32-bit arguments. */
static long int80(long nr, long a, long b, long c, long d, long e, long f)
{
	long ret;

	__asm__ volatile("push %%rbp\n\tmov %[f], %%rbp\n\tint $0x80\n\tpop %%rbp"
			 : "=a"(ret)
			 : "a"(nr), "b"(a), "c"(b), "d"(c), "S"(d), "D"(e), [f] "r"(f)
			 : "memory");
	return ret;
}

/*
 * Calls that end the caller at once (exit, exit_group, a sigreturn from a
 * frame of garbage): left out, so that a worker lives for more than a few
 * dozen calls. Workers still die of what the others do to them.
 */
static bool ends_at_once(long nr, bool ia32)
{
	return ia32 ? nr == 1 || nr == 119 || nr == 173 || nr == 252
		    : nr == 15 || nr == 60 || nr == 231;
}

static void one_call(void)
{
	bool ia32 = below(8) == 0;
	long nr = (long)below(ia32 ? NR_IA32 : NR_X86_64);
	uint64_t a[6];
	int i;

	if (ends_at_once(nr, ia32))
		return;
	for (i = 0; i < 6; i++)
		a[i] = argument();
	if (ia32)
		int80(nr, (long)a[0], (long)a[1], (long)a[2], (long)a[3], (long)a[4], (long)a[5]);
	else
		syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}

static void *thread_main(void *seed)
{
	int i, n = (int)below(200);

	rng = (uint64_t)(uintptr_t)seed | 1;
	for (i = 0; i < n; i++)
		one_call();
	return NULL;	/* the thread exits while traced */
}

static void run_worker(void)
{
	pthread_t t;
	int i;

	for (i = 0; i < CALLS_PER_WORKER; i++) {
		switch (below(400)) {
		case 0: {	/* a child that makes calls, then exits */
			pid_t pid = fork();

			if (pid == 0) {
				int k;

				rng ^= (uint64_t)getpid() << 20;
				for (k = 0; k < 100; k++)
					one_call();
				_exit(0);
			}
			break;
		}
		case 1:		/* a thread that makes calls, then exits */
			if (pthread_create(&t, NULL, thread_main, (void *)(uintptr_t)rnd()) == 0)
				pthread_detach(t);
			break;
		case 2: {	/* exec while traced: a new image goes on storming */
			char seed[32];

			snprintf(seed, sizeof(seed), "%llu", (unsigned long long)rnd());
			execl("/proc/self/exe", "kcap_storm", "worker", seed, (char *)NULL);
			break;
		}
		case 3:
			fill_arena();
			break;
		default:
			one_call();
		}
	}
	_exit(0);
}

static void on_tick(int sig)
{
	(void)sig;	/* only interrupts a call that blocks (EINTR) */
}

/* Bounds, an unprivileged user, the arenas: then storm. */
static void worker(uint64_t seed, bool fresh)
{
	static const struct { int res; rlim_t max; } limits[] = {
		{ RLIMIT_AS, 256u << 20 }, { RLIMIT_FSIZE, 64u << 10 }, { RLIMIT_NOFILE, 64 },
		{ RLIMIT_NPROC, 32 }, { RLIMIT_CORE, 0 }, { RLIMIT_CPU, 10 },
	};
	struct sigaction tick = { .sa_handler = on_tick };	/* no SA_RESTART */
	struct itimerval every = { { 0, 2000 }, { 0, 2000 } };
	size_t i;
	void *gone;
	int null;

	rng = seed | 1;
	if (fresh) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		null = open("/dev/null", O_RDWR);
		if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 || dup2(null, 2) < 0)
			_exit(1);
		for (i = 0; i < sizeof(limits) / sizeof(limits[0]); i++) {
			struct rlimit rl = { limits[i].max, limits[i].max };

			if (setrlimit(limits[i].res, &rl) < 0)
				_exit(1);
		}
		if (setgroups(0, NULL) < 0 || setgid(NOBODY) < 0 || setuid(NOBODY) < 0)
			_exit(1);
	}
	if (chdir(STORM_DIR) < 0 || sigaction(SIGALRM, &tick, NULL) < 0 ||
	    setitimer(ITIMER_REAL, &every, NULL) < 0)
		_exit(1);
	arena = mmap(NULL, ARENA, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	guard = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	gone = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (arena == MAP_FAILED || guard == MAP_FAILED || gone == MAP_FAILED)
		_exit(1);
	munmap(gone, 4096);
	unmapped = (uintptr_t)gone;
	fill_arena();
	run_worker();
}

/* ---- the supervisor ---------------------------------------------------- */

struct slot {
	pid_t pid;
	double started;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Ends every process of nobody's: kill(-1) from nobody reaches only those. */
static void kill_all_of_nobody(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		if (setgid(NOBODY) == 0 && setuid(NOBODY) == 0)
			kill(-1, SIGKILL);
		_exit(0);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

static int setup(void)
{
	if (geteuid() != 0) {
		fprintf(stderr, "kcap_storm: run it as root (it drops to nobody)\n");
		return -1;
	}
	mkdir(STORM_DIR, 0755);
	if (mount("storm", STORM_DIR, "tmpfs", MS_NOSUID | MS_NODEV, "size=16m,mode=1777") < 0) {
		perror("kcap_storm: mount " STORM_DIR);
		return -1;
	}
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0) {
		perror("kcap_storm: subreaper");
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct slot slots[MAX_WORKERS] = { 0 };
	unsigned long long spawned = 0, killed = 0, calls_done = 0;
	double end, seconds;
	int nworkers, i, status;
	pid_t pid;

	if (argc == 3 && !strcmp(argv[1], "worker")) {
		worker(strtoull(argv[2], NULL, 10), false);
		return 0;
	}
	if (argc < 2 || argc > 3 || (seconds = atof(argv[1])) <= 0) {
		fprintf(stderr, "usage: kcap_storm SECONDS [WORKERS]\n");
		return 2;
	}
	nworkers = argc == 3 ? atoi(argv[2]) : 4;
	if (nworkers < 1 || nworkers > MAX_WORKERS || setup() < 0)
		return 2;
	rng = (uint64_t)time(NULL) ^ (uint64_t)getpid() << 32;
	printf("kcap_storm: seed %llu, %d workers, %.0f s\n", (unsigned long long)rng, nworkers,
	       seconds);
	fflush(stdout);
	end = now() + seconds;
	while (now() < end) {
		for (i = 0; i < nworkers; i++) {
			if (slots[i].pid > 0 && now() - slots[i].started > WORKER_SECONDS &&
			    kill(slots[i].pid, SIGKILL) == 0)	/* stuck */
				killed++;
			if (slots[i].pid > 0)
				continue;
			slots[i].pid = fork();
			if (slots[i].pid == 0)
				worker(rnd(), true);
			slots[i].started = now();
			spawned++;
		}
		/* Reap workers and orphans alike; a worker's slot frees. */
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
			for (i = 0; i < nworkers; i++)
				if (slots[i].pid == pid) {
					slots[i].pid = 0;
					calls_done += WIFEXITED(status) && WEXITSTATUS(status) == 0;
				}
		usleep(10000);
	}
	kill_all_of_nobody();
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
	umount2(STORM_DIR, MNT_DETACH);
	printf("kcap_storm: %llu workers ran: %llu made all their calls, %llu were stuck\n",
	       spawned, calls_done, killed);
	return 0;
}
