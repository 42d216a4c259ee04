/* SPDX-License-Identifier: MIT */
/* Block type codes and limits of the .scap format (SCAP-FORMAT.md). */
#ifndef KCAP_SCAP_BLOCKS_H
#define KCAP_SCAP_BLOCKS_H

#define SCAP_SHB 0x0A0D0D0Au
#define SCAP_SHB_MAGIC 0x1A2B3C4Du
#define SCAP_SHB_MAJOR 1
#define SCAP_SHB_MINOR 2

#define SCAP_MI 0x201u
#define SCAP_PL_V1 0x202u
#define SCAP_FDL 0x203u
#define SCAP_EV 0x204u
#define SCAP_IL 0x205u
#define SCAP_UL 0x206u
#define SCAP_PL_V2 0x207u
#define SCAP_EVF 0x208u
#define SCAP_PL_V3 0x209u
#define SCAP_PL_V4 0x210u
#define SCAP_PL_V5 0x211u
#define SCAP_PL_V6 0x212u
#define SCAP_PL_V7 0x213u
#define SCAP_PL_V8 0x214u
#define SCAP_PL_V9 0x215u
#define SCAP_EV_V2 0x216u
#define SCAP_EVF_V2 0x217u
#define SCAP_FDL_V2 0x218u
#define SCAP_IL_V2 0x219u
#define SCAP_UL_V2 0x220u
#define SCAP_EV_V2_LARGE 0x221u
#define SCAP_EVF_V2_LARGE 0x222u

/* Codes of pre-release sysdig builds, still accepted by readers. */
#define SCAP_PL_V1_LEGACY 0x8000ABCDu
#define SCAP_FDL_LEGACY 0x8001ABCDu
#define SCAP_MI_LEGACY 0x8002ABCDu
#define SCAP_EV_LEGACY 0x8010ABCDu
#define SCAP_IL_LEGACY 0x8011ABCDu
#define SCAP_UL_LEGACY 0x8012ABCDu
#define SCAP_PL_V2_LEGACY 0x8013ABCDu
#define SCAP_PL_V3_LEGACY 0x8014ABCDu

#define SCAP_MI_BODY_SIZE 180
#define SCAP_MAX_NONLARGE_BLOCK 65544u
#define SCAP_MAX_PATH_SIZE 1024
#define SCAP_MAX_ARGS_SIZE 4096
#define SCAP_MAX_USER_STR 255

/*
 * The largest block kcap writes and reads, one limit for both: the writer
 * splits metadata lists into blocks below it, and the reader takes a longer
 * length for corruption, so a block never costs it more than this in memory.
 */
#define KCAP_MAX_BLOCK (64u << 20)

static inline unsigned scap_pad4(unsigned long n)
{
	return (unsigned)((4 - (n & 3)) & 3);
}

#endif /* KCAP_SCAP_BLOCKS_H */
