/* SPDX-License-Identifier: MIT */
#ifndef KCAP_CLI_H
#define KCAP_CLI_H

/* Subcommands: each parses its own options and returns the exit status. */
int cmd_replay(int argc, char **argv);
int cmd_capture(int argc, char **argv);
int cmd_list(int argc, char **argv);

/* Prints "kcap: <message>" on one line to stderr. */
void kcap_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* n words joined by single spaces, malloc'ed; NULL when out of memory. */
char *kcap_join_words(int n, char **words);

#endif /* KCAP_CLI_H */
