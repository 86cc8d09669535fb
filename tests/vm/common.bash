# shellcheck shell=bash disable=SC2034
# Shared by the host-side VM scripts (fetch-kernel, mkinitramfs, run-tests, shell). Bash.

VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$VM_DIR/../.." && pwd)
BUILD=$ROOT/build
OUT=$BUILD/vm
KERNELS_FILE=${VM_KERNELS:-$VM_DIR/kernels}	# VM_KERNELS: another list, e.g. for a one-off run

die() {
	printf '%s: %s\n' "${0##*/}" "$*" >&2
	exit 1
}

note() {
	printf '%s: %s\n' "${0##*/}" "$*" >&2
}

# Prints the active lines of the kernels file without comments, one kernel a line.
kernel_lines() {
	[ -r "$KERNELS_FILE" ] || die "cannot read $KERNELS_FILE"
	sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^[[:space:]]*$/d' "$KERNELS_FILE"
}

kernel_names() {
	kernel_lines | awk '{ print $1 }'
}

# kernel_line NAME: the line of kernel NAME (NAME SUITE PACKAGE [EXTRA...]); dies if there is none.
kernel_line() {
	local line
	line=$(kernel_lines | awk -v n="$1" '$1 == n')
	[ -n "$line" ] || die "no kernel named '$1' in $KERNELS_FILE (known: $(kernel_names | tr '\n' ' '))"
	printf '%s\n' "$line"
}

# kernel_modules ROOT: the directory of the modules of the kernel unpacked in ROOT (its
# lib/modules/VERSION/kernel, under usr/ for newer packages); fails when there is none.
kernel_modules() {
	local dir
	for dir in "$1"/lib/modules/*/kernel "$1"/usr/lib/modules/*/kernel; do
		[ -d "$dir" ] && { printf '%s\n' "$dir"; return 0; }
	done
	return 1
}

# Modules the cases use, loaded by /init: file systems the Debian kernels build as modules.
VM_MODULES="fs/overlayfs/overlay"

# kernel_initrd VMLINUZ INITRD OUT: INITRD with VM_MODULES of the kernel of VMLINUZ (as fetch-kernel
# printed it) appended as a second archive under /lib/modules, uncompressed for busybox's insmod.
kernel_initrd() {
	local root=${1%/*} modules staging module file
	until [ -f "$root/vmlinuz-path" ] || [ "$root" = "$OUT" ]; do root=${root%/*}; done
	modules=$(kernel_modules "$root") || die "no modules for ${1#"$ROOT"/}: remove ${root#"$ROOT"/} to fetch it again"
	staging=$(mktemp -d "$OUT/.modules.XXXXXX")
	mkdir -p "$staging/lib/modules"
	for module in $VM_MODULES; do
		file=$(compgen -G "$modules/$module.ko*" | head -n 1) ||
			{ rm -rf "$staging"; die "${root#"$ROOT"/} has no $module module"; }
		case $file in
		*.xz) xz -dc "$file" ;;
		*.zst) zstd -qdc "$file" ;;
		*) cat "$file" ;;
		esac >"$staging/lib/modules/${module##*/}.ko"
	done
	{
		cat "$2"
		(cd "$staging" && find lib | cpio -o -H newc --quiet | gzip -1)
	} >"$3.tmp"
	rm -rf "$staging"
	mv "$3.tmp" "$3"
}
