/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ENDURA_VERSION_H
#define ENDURA_VERSION_H

#define ENDURA_VERSION "0.1.0"

#endif
