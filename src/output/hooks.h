/* SPDX-License-Identifier: GPL-2.0 */
/* The netfilter hook inventory (--hooks) as text and as JSON. */
#ifndef NT_OUTPUT_HOOKS_H
#define NT_OUTPUT_HOOKS_H

#include <stdio.h>
#include "netfilter/inventory/inventory.h"

void nt_hooks_print_text(FILE *f, const struct nt_hook_inv *inv);
void nt_hooks_print_json(FILE *f, const struct nt_hook_inv *inv);

#endif
