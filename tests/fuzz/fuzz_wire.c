// SPDX-License-Identifier: GPL-2.0-only
/* libFuzzer target: the input as what a peer sends endurd on the control socket, through the
 * wire reader and the streamed import of a commit's entries. The work is in one_input.h. */
#include "one_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_one_input(FUZZ_WIRE, data, size);
	return 0;
}
