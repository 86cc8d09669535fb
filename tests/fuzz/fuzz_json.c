// SPDX-License-Identifier: GPL-2.0-only
/* libFuzzer target: the input as a JSON policy, through the importer, the transaction (apply,
 * evaluate, compile) and the JSON exporter's round trip. The work is in one_input.h. */
#include "one_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_one_input(FUZZ_JSON, data, size);
	return 0;
}
