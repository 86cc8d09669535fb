// SPDX-License-Identifier: GPL-2.0-only
#include <linux/capability.h>

#include "endura.h"
#include "named_values.h"

/* capabilities(7)'s names, as libcap prints them */
static const char *const names[] = {
	[CAP_CHOWN] = "cap_chown",
	[CAP_DAC_OVERRIDE] = "cap_dac_override",
	[CAP_DAC_READ_SEARCH] = "cap_dac_read_search",
	[CAP_FOWNER] = "cap_fowner",
	[CAP_FSETID] = "cap_fsetid",
	[CAP_KILL] = "cap_kill",
	[CAP_SETGID] = "cap_setgid",
	[CAP_SETUID] = "cap_setuid",
	[CAP_SETPCAP] = "cap_setpcap",
	[CAP_LINUX_IMMUTABLE] = "cap_linux_immutable",
	[CAP_NET_BIND_SERVICE] = "cap_net_bind_service",
	[CAP_NET_BROADCAST] = "cap_net_broadcast",
	[CAP_NET_ADMIN] = "cap_net_admin",
	[CAP_NET_RAW] = "cap_net_raw",
	[CAP_IPC_LOCK] = "cap_ipc_lock",
	[CAP_IPC_OWNER] = "cap_ipc_owner",
	[CAP_SYS_MODULE] = "cap_sys_module",
	[CAP_SYS_RAWIO] = "cap_sys_rawio",
	[CAP_SYS_CHROOT] = "cap_sys_chroot",
	[CAP_SYS_PTRACE] = "cap_sys_ptrace",
	[CAP_SYS_PACCT] = "cap_sys_pacct",
	[CAP_SYS_ADMIN] = "cap_sys_admin",
	[CAP_SYS_BOOT] = "cap_sys_boot",
	[CAP_SYS_NICE] = "cap_sys_nice",
	[CAP_SYS_RESOURCE] = "cap_sys_resource",
	[CAP_SYS_TIME] = "cap_sys_time",
	[CAP_SYS_TTY_CONFIG] = "cap_sys_tty_config",
	[CAP_MKNOD] = "cap_mknod",
	[CAP_LEASE] = "cap_lease",
	[CAP_AUDIT_WRITE] = "cap_audit_write",
	[CAP_AUDIT_CONTROL] = "cap_audit_control",
	[CAP_SETFCAP] = "cap_setfcap",
	[CAP_MAC_OVERRIDE] = "cap_mac_override",
	[CAP_MAC_ADMIN] = "cap_mac_admin",
	[CAP_SYSLOG] = "cap_syslog",
	[CAP_WAKE_ALARM] = "cap_wake_alarm",
	[CAP_BLOCK_SUSPEND] = "cap_block_suspend",
	[CAP_AUDIT_READ] = "cap_audit_read",
	[CAP_PERFMON] = "cap_perfmon",
	[CAP_BPF] = "cap_bpf",
	[CAP_CHECKPOINT_RESTORE] = "cap_checkpoint_restore",
};

_Static_assert(sizeof(names) / sizeof(names[0]) == CAP_LAST_CAP + 1, "every capability has its name");

_Static_assert(sizeof(names) / sizeof(names[0]) <= ENDURA_ACCESS_VALUES,
	       "a capability is a value of the kernel side's per-value arrays");

const struct named_values capabilities = {
	.names = names,
	.count = CAP_LAST_CAP + 1,
	.what = "capability",
	.example = "a name of capabilities(7) such as cap_sys_admin",
};
