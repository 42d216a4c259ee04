// SPDX-License-Identifier: MIT
/* Event decoding: header, u16 and u32 lengths, accessors, corruption. */
#include <criterion/criterion.h>
#include <string.h>
#include <unistd.h>

#include "event.h"
#include "interest.h"
#include "scap_build.h"

static struct bytes b;

static void close_event(void)
{
	b.len = 0;
	put_le(&b, CLOSE_TS, 8);
	put_le(&b, 42, 8);
	put_le(&b, 46, 4);
	put_le(&b, PPME_CLOSE_X, 2);
	put_le(&b, 2, 4);
	put_le(&b, 8, 2);
	put_le(&b, 8, 2);
	put_le(&b, (uint64_t)-9, 8);
	put_le(&b, 7, 8);
}

Test(event, parses_header_and_params)
{
	struct kcap_evt ev;
	const char *why = NULL;
	uint64_t v;

	close_event();
	cr_assert_eq(kcap_evt_parse(b.data, b.len, &ev, &why), 0, "%s", why);
	cr_assert_eq(kcap_evt_ts(&ev), CLOSE_TS);
	cr_assert_eq(kcap_evt_tid(&ev), 42);
	cr_assert_eq(kcap_evt_type(&ev), PPME_CLOSE_X);
	cr_assert_eq(ev.nparams, 2);
	cr_assert(kcap_evt_get_u64(&ev, 0, &v) && (int64_t)v == -9);
	cr_assert(kcap_evt_get_u64(&ev, 1, &v) && v == 7);
	cr_assert(!kcap_evt_get_u64(&ev, 2, &v), "no third parameter");
	cr_assert_eq(kcap_evt_param_index(PPME_CLOSE_X, "fd"), 1);
	cr_assert_eq(kcap_evt_param_index(PPME_CLOSE_X, "nope"), -1);
}

Test(event, large_payload_types_use_u32_lengths)
{
	struct kcap_evt ev;
	const char *why = NULL;

	cr_assert_eq(kcap_evt_len_width(PPME_ASYNCEVENT_E), 4);
	cr_assert_eq(kcap_evt_len_width(PPME_CLOSE_X), 2);
	b.len = 0;
	put_le(&b, 1, 8);
	put_le(&b, 1, 8);
	put_le(&b, 26 + 12 + 4 + 6 + 3, 4);
	put_le(&b, PPME_ASYNCEVENT_E, 2);
	put_le(&b, 3, 4);
	put_le(&b, 4, 4);
	put_le(&b, 6, 4);
	put_le(&b, 3, 4);
	put_le(&b, 9, 4);
	put_raw(&b, "synth", 6);
	put_raw(&b, "abc", 3);
	cr_assert_eq(kcap_evt_parse(b.data, b.len, &ev, &why), 0, "%s", why);
	cr_assert_str_eq(kcap_evt_get_str(&ev, 1), "synth");
	cr_assert_eq(ev.len[2], 3);
	cr_assert(memcmp(ev.val[2], "abc", 3) == 0);
}

Test(event, fewer_params_than_the_table)
{
	struct kcap_evt ev;
	const char *why = NULL;

	close_event();
	b.len = 26 + 2 + 8;
	b.data[16] = (uint8_t)b.len;
	b.data[22] = 1;				/* nparams */
	memmove(b.data + 28, b.data + 30, 8);	/* drop the second length */
	cr_assert_eq(kcap_evt_parse(b.data, b.len, &ev, &why), 0, "%s", why);
	cr_assert_eq(ev.nparams, 1);
}

Test(event, empty_param_reads_as_absent)
{
	struct kcap_evt ev;
	const char *why = NULL;
	uint64_t v;

	close_event();
	b.data[28] = 0;			/* fd length 0 */
	b.data[16] = 46 - 8;
	b.len -= 8;
	cr_assert_eq(kcap_evt_parse(b.data, b.len, &ev, &why), 0, "%s", why);
	cr_assert_eq(ev.len[1], 0);
	cr_assert(!kcap_evt_get_u64(&ev, 1, &v));
}

Test(event, rejects_corruption)
{
	struct kcap_evt ev;
	const char *why = NULL;

	close_event();
	cr_assert_eq(kcap_evt_parse(b.data, 20, &ev, &why), -1);
	cr_assert_str_eq(why, "event shorter than its header");
	cr_assert_eq(kcap_evt_parse(b.data, 40, &ev, &why), -1);
	cr_assert_str_eq(why, "event length runs past the block");
	b.data[22] = 33;
	cr_assert_eq(kcap_evt_parse(b.data, b.len, &ev, &why), -1);
	cr_assert_str_eq(why, "nparams above 32");
	close_event();
	b.data[22] = 20;
	cr_assert_eq(kcap_evt_parse(b.data, b.len, &ev, &why), -1);
	cr_assert_str_eq(why, "parameter lengths run past the event");
	close_event();
	b.data[26] = 30;
	cr_assert_eq(kcap_evt_parse(b.data, b.len, &ev, &why), -1);
	cr_assert_str_eq(why, "parameter values run past the event");
	close_event();
	b.data[16] = 10;
	cr_assert_eq(kcap_evt_parse(b.data, b.len, &ev, &why), -1);
	cr_assert_str_eq(why, "event length shorter than its header");
}

/* -e @sets: a set's events, mixed with names, marked as types and interest. */
Test(event, sets_select_events_mixed_with_names)
{
	bool interest[KCAP_SC_MAX] = { false }, types[KCAP_EVENT_MAX] = { false };
	char err[256];

	cr_assert_eq(kcap_interest_from_names("@net,openat", interest, types, err, sizeof(err)), 0,
		     "%s", err);
	cr_expect(interest[PPM_SC_CONNECT] && interest[PPM_SC_OPENAT] && interest[PPM_SC_SOCKET]);
	cr_expect(!interest[PPM_SC_READ] && !interest[PPM_SC_CLONE]);
	cr_expect(types[PPME_CONNECT_X] && types[PPME_OPENAT_X] && !types[PPME_READ_X]);
	cr_expect_eq(kcap_interest_from_names("@time", interest, NULL, err, sizeof(err)), 0, "%s",
		     err);
	cr_expect(interest[PPM_SC_TIMERFD_CREATE]);
	cr_expect_neq(kcap_interest_from_names("clnoe", interest, NULL, err, sizeof(err)), 0);
	cr_expect_str_eq(err, "unknown event 'clnoe'; did you mean clone?");
	cr_expect_neq(kcap_interest_from_names("@stat", interest, NULL, err, sizeof(err)), 0);
	cr_expect(strstr(err, "unknown event set '@stat'; did you mean @state?"), "%s", err);
}

/*
 * -e with syscall names: pread64 selects the pread events; getppid (no event
 * of its own) selects its syscall alone, as the generic events; keyctl (an
 * exit event only) its own.
 */
Test(event, syscall_names_select_their_syscall)
{
	bool interest[KCAP_SC_MAX] = { false }, types[KCAP_EVENT_MAX] = { false };
	char err[256];
	int sc, n = 0;

	cr_assert_eq(kcap_interest_from_names("pread64,prlimit64", interest, types, err,
					      sizeof(err)), 0, "%s", err);
	cr_expect(interest[PPM_SC_PREAD64] && types[PPME_PREAD_X] && types[PPME_PREAD_E]);
	cr_expect(interest[PPM_SC_PRLIMIT64] && types[PPME_PRLIMIT_X]);
	memset(interest, 0, sizeof(interest));
	memset(types, 0, sizeof(types));
	cr_assert_eq(kcap_interest_from_names("getppid,keyctl", interest, types, err, sizeof(err)), 0,
		     "%s", err);
	for (sc = 0; sc < KCAP_SC_MAX; sc++)
		n += interest[sc];
	cr_expect_eq(n, 2, "getppid and keyctl alone: %d syscalls", n);
	cr_expect(interest[PPM_SC_GETPPID] && interest[PPM_SC_KEYCTL]);
	cr_expect(types[PPME_GENERIC_X] && types[PPME_GENERIC_E] && types[PPME_KEYCTL_X]);
	cr_expect_neq(kcap_interest_from_names("getcdw", interest, NULL, err, sizeof(err)), 0);
}
