// SPDX-License-Identifier: GPL-2.0-only
/* libFuzzer target: the input as rules text, through the parser, the transaction (apply, evaluate,
 * compile) and the text printer's round trip. The work is in one_input.h. */
#include "one_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_one_input(FUZZ_RULES, data, size);
	return 0;
}
