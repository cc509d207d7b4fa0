"""The hypervisor tools of a real-sshd lab host (deploy/lab/lab).

One program, linked into each lab host's /usr/local/sbin under every name `labtool programs` prints. Each
name answers the commands Ballast's catalog sends exactly as the in-process simulator does
(src/main/java/dev/ballast/lab: same argument checks, same output bytes, same exit codes), keeping the
host's state in files: the sysfs attributes and /proc/meminfo themselves, the /dev nodes, and JSON and
domain XML under /usr/local/lib/ballast-lab. Everything else on a lab host (bash, cat, tail, rm, stat,
chmod, readlink, env, uname) is the real program working on those files.

Arguments the simulator would call a LabSurprise end with `labtool: unexpected: ARGV` and status 127,
so a command the catalog should never send fails loudly instead of being guessed at.

With BALLAST_LAB_ROOT=DIR (an absolute path) a host needs no root and no namespace: its /sys, /dev, /etc,
/proc/meminfo, /proc/cmdline and /usr/local are DIR/sys, DIR/dev and so on. `init` creates them; `serve` runs
a stub, or the real tail, grep, readlink, rm, chmod, stat or tee with each absolute path put under DIR and DIR
taken out of what they print. Owners live in a table there (a normal user cannot chown), and `stat` reads
%U and %G from it. LabContractTest replays the lab contract through `serve` on any machine with Python.

    labtool programs      the tool names, one a line (the lab links them from this list)
    labtool init INDEX    create host INDEX's initial state (1..9999), as LabHosts.typical does
    labtool reboot        reboot the host (Boot.java); prints the errors of guests that could not start again
    labtool serve         with BALLAST_LAB_ROOT only: run commands of the catalog against that directory,
                          one JSON object a line in ({"argv": [...], "stdin": "..."}) and out (exit, stdout, stderr)
"""

import collections
import contextlib
import datetime
import fcntl
import functools
import itertools
import json
import math
import os
import pwd
import grp
import re
import shlex
import subprocess
import sys
from xml.parsers import expat

STATE = '/usr/local/lib/ballast-lab'
ROOT = os.environ.get('BALLAST_LAB_ROOT', '')
# The simulated fleet's kernel command line (Boot.java's): the machine's own would make every lab host boot differently.
KERNEL_COMMAND_LINE = 'BOOT_IMAGE=/boot/vmlinuz root=/dev/mapper/vg_os-root ro quiet\n'
MEM_TOTAL_KIB = 256 * 1024 * 1024
HOST_USE_KIB = 8 * 1024 * 1024  # the host's own processes, page cache and kernel (Hugepages.HOST_USE_KIB)
GIB = 1 << 30
EXTENT = 4 << 20
LVM_FAILED = 5
UUID = re.compile(r'[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}')
GUEST_PING = '{"execute":"guest-ping"}'
GUEST_INFO = '{"execute":"guest-info"}'
# The agent of guests never upgraded (Debian 11's) and Debian 12's (GuestAgent.java); 7.x added the second list.
OLD_AGENT, CURRENT_AGENT = '5.2.0', '7.2.0'
AGENT_COMMANDS_5_2 = ['guest-get-devices', 'guest-get-disks', 'guest-get-osinfo', 'guest-get-fsinfo', 'guest-fsfreeze-thaw',
                      'guest-fsfreeze-freeze-list', 'guest-fsfreeze-freeze', 'guest-fsfreeze-status', 'guest-info',
                      'guest-ping', 'guest-sync', 'guest-sync-delimited']
AGENT_COMMANDS_7_2 = ['guest-get-cpustats', 'guest-get-diskstats', 'guest-ssh-remove-authorized-keys',
                      'guest-ssh-add-authorized-keys', 'guest-ssh-get-authorized-keys']
AGENT_ANSWERS = {
    GUEST_PING: '{"return":{}}',
    GUEST_INFO: None,  # by the agent's version: guest_info()
    '{"execute":"guest-get-osinfo"}': '{"return":{"name":"Debian GNU/Linux","kernel-release":"6.1.0-27-amd64",'
    '"version":"12 (bookworm)","pretty-name":"Debian GNU/Linux 12 (bookworm)","version-id":"12",'
    '"kernel-version":"#1 SMP PREEMPT_DYNAMIC Debian 6.1.115-1 (2024-11-01)","machine":"x86_64","id":"debian",'
    '"kernel-name":"Linux"}}'}
SCHEDULER = re.compile(r'/sys/block/([a-z0-9-]+)/queue/scheduler')
QUEUE_VALUE = re.compile(r'/sys/block/([a-z0-9-]+)/queue/(nr_requests|read_ahead_kb)')
# The kernel's BLKDEV_MIN_RQ, BLKDEV_DEFAULT_RQ and MAX_SCHED_RQ (Disks.java).
MIN_RQ, DEFAULT_RQ, MAX_SCHED_RQ, READ_AHEAD_KB = 4, 128, 2048, 128
HUGEPAGE_KNOB = re.compile(r'/sys/kernel/mm/hugepages/hugepages-([0-9]+)kB/nr_hugepages')
HUGEPAGE_SIZES_KIB = (2048, 1048576)


# What a program printed and how it exited, as the simulator's Exec record.
Exec = collections.namedtuple('Exec', 'code out err', defaults=('', ''))


def ok(out=''):
    return Exec(0, out)


def fail(code, err):
    return Exec(code, '', err)


class Unexpected(Exception):
    """Arguments the catalog never sends: the simulator's LabSurprise."""


def expect(args, expected, then):
    if args != expected:
        raise Unexpected()
    return then()


# --- State files ------------------------------------------------------------------------------------

def at(path):
    """Where a path of the host is on this machine: itself inside a lab host's namespace, under
    BALLAST_LAB_ROOT without one. Every file operation goes through here; the catalog's paths stay the host's."""
    return ROOT + path


def load(name):
    with open(at(f'{STATE}/{name}.json')) as f:
        return json.load(f)


def save(name, doc):
    write_file(f'{STATE}/{name}.json', json.dumps(doc, indent=1) + '\n')


def read_file(path):
    with open(at(path)) as f:
        return f.read()


def write_file(path, text):
    """Replaces a state file whole, so a reader never sees half of it."""
    with open(at(path) + '.new', 'w') as f:
        f.write(text)
    os.replace(at(path) + '.new', at(path))


def rewrite_in_place(path, text):
    """Sysfs attributes and /proc/meminfo are single bind-mounted inodes: a rename would detach them."""
    with open(at(path), 'r+') as f:
        f.truncate()
        f.write(text)


def require_lab_host():
    """Refuses to run outside a lab host, whose /sys, /dev, /etc, /proc/meminfo and /usr/local are its own."""
    if ROOT:
        if not os.path.isabs(ROOT) or ROOT.endswith('/') or not os.path.isdir(at(STATE)):
            sys.exit(f'labtool: BALLAST_LAB_ROOT={ROOT} is not a lab host\'s directory: an absolute path, '
                     'made by `labtool init`')
        return
    mounts = {}
    with open('/proc/self/mountinfo') as f:
        for line in f:
            fields = line.split()
            mounts[fields[4]] = fields[fields.index('-') + 1]  # a later mount on a point hides the earlier
    if mounts.get('/sys', 'sysfs') == 'sysfs' or mounts.get('/dev') != 'tmpfs' \
            or not {'/etc', '/proc/meminfo', '/usr/local'} <= mounts.keys():
        sys.exit('labtool: not inside a lab host (deploy/lab/lab): /sys, /dev, /etc, /proc/meminfo and '
                 '/usr/local must be the host\'s own mounts')


# --- Disks and huge pages: the sysfs attributes are the state -----------------------------------------

def tee(args, stdin):
    """GNU tee for a sysfs attribute of the lab: a scheduler is chosen by name and an unknown one is EINVAL
    (Disks.java); a huge page count is granted as far as memory allows (Hugepages.java). On success the
    input goes to stdout, as tee copies it; on EINVAL only the error, as the simulator prints it."""
    files = args[1:] if args[:1] == ['--'] else args
    if len(files) != 1 or files[0].startswith('-'):
        raise Unexpected()
    path, text = files[0], stdin
    if SCHEDULER.fullmatch(path) and os.path.isfile(at(path)):
        offered, active = scheduler(path)
        if active is None:
            return ok(text)  # a stacked device: the kernel takes any write and changes nothing (Disks.java)
        if text.strip() not in offered:
            return fail(1, f'tee: {path}: Invalid argument\n')
        set_scheduler(path, text.strip())
        return ok(text)
    queue = QUEUE_VALUE.fullmatch(path)
    if queue and os.path.isfile(at(path)):
        return ok(text) if set_queue_value(queue[1], queue[2], text.strip()) else fail(1, f'tee: {path}: Invalid argument\n')
    knob = HUGEPAGE_KNOB.fullmatch(path)
    if knob and int(knob[1]) in HUGEPAGE_SIZES_KIB:
        if not re.fullmatch('[0-9]{1,12}', text.strip()):
            return fail(1, f'tee: {path}: Invalid argument\n')
        reserve_hugepages(int(knob[1]), int(text.strip()))
        return ok(text)
    raise Unexpected()


def depth_for(disk, active):
    """What the kernel sets nr_requests to when a scheduler starts (Disks.java): none gives the hardware queue depth,
    a scheduler twice the depth, at most 256."""
    depth = load('boot')['depths'][disk]
    return depth if active == 'none' else 2 * min(depth, DEFAULT_RQ)


def set_scheduler(path, wanted):
    """Switching the scheduler resets the queue depth, as in Linux 6.1."""
    offered, active = scheduler(path)
    if active is not None and wanted != active:
        disk = SCHEDULER.fullmatch(path)[1]
        rewrite_in_place(path, render_scheduler(offered, wanted))
        rewrite_in_place(f'/sys/block/{disk}/queue/nr_requests', f'{depth_for(disk, wanted)}\n')


def set_queue_value(disk, name, value):
    """nr_requests above what the queue allows (none: the hardware queue depth; a scheduler: 2048) is EINVAL, and a
    stacked device's bio-based queue refuses every depth; below 4 it is 4. False for EINVAL."""
    if not re.fullmatch('[0-9]{1,9}', value):
        return False
    number = int(value)
    if name == 'nr_requests':
        active = scheduler(f'/sys/block/{disk}/queue/scheduler')[1]
        if active is None or number > (load('boot')['depths'][disk] if active == 'none' else MAX_SCHED_RQ):
            return False
        number = max(MIN_RQ, number)
    rewrite_in_place(f'/sys/block/{disk}/queue/{name}', f'{number}\n')
    return True


def kernel_path(arg):
    """Paths tee must never reach for real: /proc/sys is the machine's own kernel, not the host's."""
    path = os.path.normpath(arg)
    return path.startswith(('/sys/', '/proc/')) or path in ('/sys', '/proc')


def scheduler(path):
    """The offered schedulers and the active one, from the attribute as the kernel prints it; a stacked
    device (device-mapper, md, an NVMe multipath head) prints `none` without brackets: no active one."""
    words = read_file(path).split()
    return [w.strip('[]') for w in words], next((w[1:-1] for w in words if w.startswith('[')), None)


def render_scheduler(offered, active):
    return ' '.join(f'[{s}]' if s == active else s for s in offered) + '\n'


def hugepage_knob(kib):
    return f'/sys/kernel/mm/hugepages/hugepages-{kib}kB/nr_hugepages'


def hugepages():
    return {kib: int(read_file(hugepage_knob(kib))) for kib in HUGEPAGE_SIZES_KIB}


def reserve_hugepages(kib, wanted):
    """Like a kernel that has run a while (Hugepages.reserve): memory is fragmented, so 2M pages are granted
    only as far as contiguous blocks are found (four fifths of what is available), silently; 1G pages cannot
    be found at all once the host is up; pages that running guests hold are never given back."""
    pages = hugepages()
    current = pages[kib]
    in_use = guest_memory()[1] // 2048 if kib == 2048 else 0
    if wanted <= current:
        pages[kib] = max(wanted, in_use)
    elif kib == 2048:
        contiguous = max(0, available_kib(pages)) * 4 // 5 // kib
        pages[kib] = current + min(wanted - current, contiguous)
    rewrite_in_place(hugepage_knob(kib), f'{pages[kib]}\n')
    rewrite_in_place('/proc/meminfo', meminfo(pages))


def guest_memory():
    """What the running guests hold, from their live XML (Libvirt.guestMemory): plain RAM, and huge pages of
    the default size for those whose memory is backed by them; in KiB."""
    regular = huge = 0
    for domain in load('libvirt')['domains']:
        if running(domain['uuid']):
            root = parse_xml(read_file(domain_file(domain['uuid'], live=True)))
            kib = int(root.child_text('memory').strip())
            backing = root.child('memoryBacking')
            if backing is not None and backing.child('hugepages') is not None:
                huge += kib
            else:
                regular += kib
    return regular, huge


def available_kib(pages):
    """Memory the host could still give: all of it less the huge pages, the host's own 8 GiB, and the guests."""
    return MEM_TOTAL_KIB - sum(size * count for size, count in pages.items()) - HOST_USE_KIB - guest_memory()[0]


def meminfo(pages):
    """/proc/meminfo of a 256 GiB hypervisor as Linux 6.1 prints it; MemAvailable, HugePages_* and Hugetlb
    tell the truth about what huge pages and running guests hold, the rest is a plausible steady state."""
    hugetlb = sum(size * count for size, count in pages.items())
    available = max(0, available_kib(pages))
    free = max(0, available - 6_291_456)

    def kb(name, value):
        return f'{name + ":":<16}{value:>8} kB\n'
    before = [('MemTotal', MEM_TOTAL_KIB), ('MemFree', free), ('MemAvailable', available),
              ('Buffers', 412_304), ('Cached', 6_183_472), ('SwapCached', 0), ('Active', 4_718_592),
              ('Inactive', 3_145_728), ('Active(anon)', 2_097_152), ('Inactive(anon)', 524_288),
              ('Active(file)', 2_621_440), ('Inactive(file)', 2_621_440), ('Unevictable', 12_852),
              ('Mlocked', 12_000), ('SwapTotal', 8_388_604), ('SwapFree', 8_388_604), ('Zswap', 0),
              ('Zswapped', 0), ('Dirty', 1_024), ('Writeback', 0), ('AnonPages', 2_588_672), ('Mapped', 262_144),
              ('Shmem', 32_768), ('KReclaimable', 1_048_576), ('Slab', 1_572_864), ('SReclaimable', 1_048_576),
              ('SUnreclaim', 524_288), ('KernelStack', 24_576), ('PageTables', 40_960), ('NFS_Unstable', 0),
              ('Bounce', 0), ('WritebackTmp', 0), ('CommitLimit', MEM_TOTAL_KIB // 2 - hugetlb // 2 + 8_388_604),
              ('Committed_AS', 9_437_184), ('VmallocTotal', 34_359_738_367), ('VmallocUsed', 262_144),
              ('VmallocChunk', 0), ('Percpu', 98_304), ('HardwareCorrupted', 0), ('AnonHugePages', 1_048_576),
              ('ShmemHugePages', 0), ('ShmemPmdMapped', 0), ('FileHugePages', 0), ('FilePmdMapped', 0)]
    total = pages[2048]
    free_pages = max(0, total - guest_memory()[1] // 2048)
    return (''.join(kb(name, value) for name, value in before)
            + f'HugePages_Total:   {total:5}\nHugePages_Free:    {free_pages:5}\n'
            + f'HugePages_Rsvd:    {0:5}\nHugePages_Surp:    {0:5}\n'
            + kb('Hugepagesize', 2048) + kb('Hugetlb', hugetlb)
            + kb('DirectMap4k', 1_048_576) + kb('DirectMap2M', 66_060_288) + kb('DirectMap1G', 201_326_592))


def sysctl(args):
    """sysctl for vm.nr_hugepages only, the default (2M) pool: -w prints what was asked, as sysctl does,
    whatever the kernel granted. Nothing else: vm.* is global to the machine, not the host's."""
    if len(args) == 2 and args[0] == '-w' and (wanted := re.fullmatch('vm\\.nr_hugepages=([0-9]{1,12})', args[1])):
        reserve_hugepages(2048, int(wanted[1]))
        return ok(f'vm.nr_hugepages = {wanted[1]}\n')
    if args == ['-n', 'vm.nr_hugepages']:
        return ok(read_file(hugepage_knob(2048)))
    return fail(1, f'labtool: unexpected: {shlex.join(["sysctl", *args])} (the lab has only vm.nr_hugepages)\n')


def udevadm(args):
    """udevadm control --reload-rules: nothing to reload in a lab host, and udevadm prints nothing."""
    return expect(args, ['control', '--reload-rules'], ok)


# --- Hardware: what HardwareTools, LabLspci and LabFio print --------------------------------------------

def virt_host_validate(args):
    """virt-host-validate qemu under env LC_ALL=C (HardwareTools.virtHostValidate): vhost_net missing on one
    host in eight fails it, IOMMU disabled in the kernel or absent from the hardware warns. Without the C
    locale it would print in the host's language, so that is unexpected (HardwareTools.env)."""
    if args != ['qemu'] or os.environ.get('LC_ALL') != 'C':
        raise Unexpected()
    hardware = load('hardware')
    checks = [('Checking for hardware virtualization', 'PASS'), ('Checking if device /dev/kvm exists', 'PASS'),
              ('Checking if device /dev/kvm is accessible', 'PASS'),
              ('Checking if device /dev/vhost-net exists', 'PASS' if hardware['vhost_net']
               else "FAIL (Load the 'vhost_net' module to improve performance of virtio networking)"),
              ('Checking if device /dev/net/tun exists', 'PASS')]
    checks += [(f"Checking for cgroup '{cgroup}' controller support", 'PASS')
               for cgroup in ('cpu', 'cpuacct', 'cpuset', 'memory', 'devices', 'blkio')]
    if hardware['iommu'] == 'no-hardware':
        checks += [('Checking for device assignment IOMMU support', 'WARN (No ACPI DMAR table found, IOMMU either '
                    'disabled in BIOS or not supported by this hardware platform)')]
    else:
        checks += [('Checking for device assignment IOMMU support', 'PASS'),
                   ('Checking if IOMMU is enabled by kernel', 'PASS' if hardware['iommu'] == 'enabled'
                    else 'WARN (IOMMU appears to be disabled in kernel. Add intel_iommu=on to kernel cmdline arguments)')]
    checks += [('Checking for secure guest support', 'WARN (Unknown if this platform has Secure Guest support)')]
    return Exec(0 if hardware['vhost_net'] else 1, ''.join(f'{"QEMU":>6}: {check:<69}: {verdict}\n' for check, verdict in checks))


def uname(args):
    """uname -r: the host's kernel, not the machine's (LabHosts.hardware)."""
    return expect(args, ['-r'], lambda: ok(load('hardware')['kernel'] + '\n'))


# The kernel log of the current boot (KernelLog.java): microseconds since boot and the message.
BOOT_KERNEL_LOG = [
    (0, "x86/fpu: Supporting XSAVE feature 0x001: 'x87 floating point registers'"),
    (1_204_311, 'nvme nvme0: 32/0/0 default/read/poll queues'),
    (1_208_532, 'nvme nvme1: 32/0/0 default/read/poll queues'),
    (1_532_104, 'sd 0:0:0:0: [sda] 3750748848 512-byte logical blocks: (1.92 TB/1.75 TiB)'),
    (4_812_733, 'EXT4-fs (dm-0): mounted filesystem with ordered data mode. Quota mode: none.'),
    (11_403_117, 'kvm_intel: VMX enabled')]
FAILING_DISKS_KERNEL_LOG = [
    (8_123_551_027, 'nvme nvme0: I/O 417 QID 3 timeout, aborting'),
    (8_123_551_101, 'nvme nvme0: I/O 418 QID 3 timeout, aborting'),
    (8_153_771_964, 'nvme nvme0: I/O 417 QID 3 timeout, reset controller'),
    (8_154_982_210, 'nvme nvme0: 32/0/0 default/read/poll queues'),
    (9_210_114_002, 'I/O error, dev sda, sector 1953525168 op 0x0:(READ) flags 0x0 phys_seg 1 prio class 2')]


def kernel_log(prefix):
    return ''.join(f'[{micros // 1_000_000:5d}.{micros % 1_000_000:06d}] {prefix}{message}\n'
                   for micros, message in load('kernel-log')['entries'])


def journalctl(args):
    """journalctl -k -b as the catalog asks for it; nothing on a host whose journald keeps no kernel log."""
    return expect(args, ['-k', '-b', '-q', '--no-pager', '--no-hostname', '-o', 'short-monotonic'],
                  lambda: ok(kernel_log('kernel: ') if load('kernel-log')['journald'] else ''))


def dmesg(args):
    return expect(args, [], lambda: ok(kernel_log('')))


def nvme_controller(name):
    return next((c for c in load('hardware')['controllers'] if c['name'] == name), None)


def nvme(args):
    """nvme smart-log /dev/nvmeN -o json: nvme-cli 2.x's flat object, temperatures in kelvins. One host in eight
    lacks nvme-cli: bash answers for the program that is not there."""
    if not load('hardware')['nvme_cli']:
        return fail(127, 'bash: line 1: nvme: command not found\n')
    if len(args) != 4 or args[0] != 'smart-log' or not re.fullmatch('/dev/nvme[0-9]{1,3}', args[1]) \
            or args[2:] != ['-o', 'json']:
        raise Unexpected()
    c = nvme_controller(args[1][len('/dev/'):])
    if c is None:
        return fail(1, f'Failed to open {args[1]}: No such file or directory\n')
    k = c['kelvin']
    fields = [('critical_warning', 0), ('temperature', k), ('avail_spare', 100), ('spare_thresh', 10),
              ('percent_used', 2), ('endurance_grp_critical_warning_summary', 0), ('data_units_read', 48215513),
              ('data_units_written', 61288204), ('host_read_commands', 1022938751),
              ('host_write_commands', 1533812219), ('controller_busy_time', 3176), ('power_cycles', 41),
              ('power_on_hours', 17533), ('unsafe_shutdowns', 12), ('media_errors', 0), ('num_err_log_entries', 0),
              ('warning_temp_time', 0), ('critical_comp_time', 0), ('temperature_sensor_1', k),
              ('temperature_sensor_2', k + 8), ('thm_temp1_trans_count', 0), ('thm_temp2_trans_count', 0),
              ('thm_temp1_total_time', 0), ('thm_temp2_total_time', 0)]
    return ok('{\n' + ',\n'.join(f'  "{name}":{value}' for name, value in fields) + '\n}\n')


def sensors(args):
    """sensors -j: lm-sensors prints its JSON by hand, three-space indents, 65261.850 and -273.150 for
    limits it cannot read; one chip per NVMe controller, named by bus and devfn as libsensors does."""
    if args != ['-j']:
        raise Unexpected()
    label = 'CPU "Package"' if load('hardware')['sensors_quoted_label'] else 'Package id 0'
    out = ('{\n   "coretemp-isa-0000":{\n      "Adapter": "ISA adapter",\n      "' + label + '":{\n'
           '         "temp1_input": 48.000,\n         "temp1_max": 84.000,\n'
           '         "temp1_crit": 94.000,\n         "temp1_crit_alarm": 0.000\n      }\n   }')
    for c in load('hardware')['controllers']:
        domain, bus, device, function = (int(part, 16) for part in re.split('[:.]', c['address']))
        # summed in a C int, so the bits of a VMD domain (10000) shift out: 10000:e1:00.0 is nvme-pci-e100
        chip = ((domain << 16) + (bus << 8) + (device << 3) + function) & 0xffffffff
        celsius = c['kelvin'] - 273.15
        out += (f',\n   "nvme-pci-{chip:04x}":{{\n      "Adapter": "PCI adapter",\n      "Composite":{{\n'
                f'         "temp1_input": {celsius:.3f},\n         "temp1_max": 81.850,\n'
                '         "temp1_min": -273.150,\n         "temp1_crit": 84.850,\n         "temp1_alarm": 0.000\n'
                f'      }},\n      "Sensor 1":{{\n         "temp2_input": {celsius:.3f},\n'
                '         "temp2_max": 65261.850,\n         "temp2_min": -273.150\n      }\n   }')
    return ok(out + '\n}\n')


def lspci(args):
    """lspci -vvv -s BDF for a lab NVMe controller (a PCIe 4.0 x4 drive, as root sees it); an address with
    no device prints nothing and exits 0. As pciutils 3.8: LnkSta marks a speed or width below LnkCap's
    "(downgraded)" and one that matches with nothing, and every slot carries its domain once the host has a
    device outside domain 0000 (LabLspci)."""
    if len(args) != 3 or args[:2] != ['-vvv', '-s'] \
            or not re.fullmatch('[0-9a-f]{4,8}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]', args[2]):
        raise Unexpected()
    controllers = load('hardware')['controllers']
    c = next((c for c in controllers if c['address'] == args[2]), None)
    if c is None:
        return ok()
    cap_speed, speed, cap, width = c['cap_speed'], c['speed'], c['cap_width'], c['width']
    status = f'Speed {speed}{link_mark(rate(speed), rate(cap_speed))}, Width x{width}{link_mark(width, cap)}'
    domains = any(not other['address'].startswith('0000:') for other in controllers)
    slot = c['address'] if domains else c['address'][5:]
    device = 'Samsung Electronics Co Ltd NVMe SSD Controller PM9A1/PM9A3/980PRO'
    return ok(f'{slot} Non-Volatile memory controller: {device} (prog-if 02 [NVM Express])\n'
              f'\tSubsystem: {device}\n'
              '\tControl: I/O- Mem+ BusMaster+ SpecCycle- MemWINV- VGASnoop- ParErr- Stepping- SERR- FastB2B- '
              'DisINTx+\n'
              '\tStatus: Cap+ 66MHz- UDF- FastB2B- ParErr- DEVSEL=fast >TAbort- <TAbort- <MAbort- >SERR- <PERR- INTx-\n'
              '\tLatency: 0, Cache Line Size: 64 bytes\n\tInterrupt: pin A routed to IRQ 45\n\tNUMA node: 0\n'
              '\tIOMMU group: 14\n\tRegion 0: Memory at fb600000 (64-bit, non-prefetchable) [size=16K]\n'
              '\tCapabilities: [40] Power Management version 3\n'
              '\t\tFlags: PMEClk- DSI- D1- D2- AuxCurrent=0mA PME(D0-,D1-,D2-,D3hot-,D3cold-)\n'
              '\t\tStatus: D0 NoSoftRst+ PME-Enable- DSel=0 DScale=0 PME-\n'
              '\tCapabilities: [70] Express (v2) Endpoint, MSI 00\n'
              '\t\tDevCap:\tMaxPayload 256 bytes, PhantFunc 0, Latency L0s unlimited, L1 unlimited\n'
              '\t\t\tExtTag+ AttnBtn- AttnInd- PwrInd- RBE+ FLReset+ SlotPowerLimit 0W\n'
              '\t\tDevCtl:\tCorrErr+ NonFatalErr+ FatalErr+ UnsupReq+\n'
              '\t\t\tRlxdOrd+ ExtTag+ PhantFunc- AuxPwr- NoSnoop+ FLReset-\n'
              '\t\t\tMaxPayload 256 bytes, MaxReadReq 512 bytes\n'
              '\t\tDevSta:\tCorrErr- NonFatalErr- FatalErr- UnsupReq- AuxPwr- TransPend-\n'
              f'\t\tLnkCap:\tPort #0, Speed {cap_speed}, Width x{cap}, ASPM L1, Exit Latency L1 <64us\n'
              '\t\t\tClockPM+ Surprise- LLActRep- BwNot- ASPMOptComp+\n'
              '\t\tLnkCtl:\tASPM Disabled; RCB 64 bytes, Disabled- CommClk+\n'
              '\t\t\tExtSynch- ClockPM- AutWidDis- BWInt- AutBWInt-\n'
              f'\t\tLnkSta:\t{status}\n'
              '\t\t\tTrErr- Train- SlotClk+ DLActive- BWMgmt- ABWMgmt-\n'
              f'\t\tLnkCtl2: Target Link Speed: {cap_speed}, EnterCompliance- SpeedDis-\n'
              '\t\tLnkSta2: Current De-emphasis Level: -3.5dB, EqualizationComplete+ EqualizationPhase1+\n'
              '\tCapabilities: [b0] MSI-X: Enable+ Count=130 Masked-\n'
              '\t\tVector table: BAR=0 offset=00003000\n\t\tPBA: BAR=0 offset=00002000\n'
              '\tKernel driver in use: nvme\n\tKernel modules: nvme\n\n')


def link_mark(sta, cap):
    """What ls-caps.c's link_compare prints for an endpoint."""
    return ' (downgraded)' if sta < cap else ' (overdriven)' if sta > cap else ''


def rate(speed):
    return float(speed[:speed.index('GT/s')])


FIO_PERCENTILES = (1, 5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 99, 99.5, 99.9, 99.95, 99.99)


def fio(args):
    """fio running the catalog's read-only baseline job and nothing else, so a job that might write cannot
    slip through; prints fio 3.33's JSON trimmed as LabFio does, at once rather than after --runtime."""
    filename = re.fullmatch('--filename=/dev/([a-z0-9-]{1,32})', args[1]) if len(args) > 1 else None
    runtime = re.fullmatch('--runtime=([0-9]{1,4})', args[10]) if len(args) > 10 else None
    if not filename or not runtime or args != [
            '--name=baseline', args[1], '--readonly', '--rw=randread', '--bs=4k', '--ioengine=libaio', '--direct=1',
            '--numjobs=4', '--iodepth=32', '--time_based', args[10], '--group_reporting', '--output-format=json']:
        raise Unexpected()
    figures = load('hardware')['fio'].get(filename[1])
    if figures is None:
        return fail(1, 'baseline: you need to specify size=\n'
                       'fio: pid=0, err=22/file:filesetup.c:1120, func=total_file_size, error=Invalid argument\n')
    iops, p50, p99 = figures
    attribute = f'/sys/block/{filename[1]}/queue/scheduler'
    if os.path.isfile(at(attribute)) and scheduler(attribute)[1] == 'bfq':
        # BFQ's per-request accounting costs an NVMe disk about 45% of its random-read IOPS.
        iops, p50, p99 = iops * 0.55, p50 * 2, p99 * 2
    warning = 'fio: this platform does not support process shared mutexes, forcing use of threads. Use the ' \
        '\'thread\' option to get rid of this warning.\n' if load('hardware')['fio_warning'] else ''
    return ok(warning + fio_json(iops, p50, p99, int(runtime[1]), args[1][len('--filename='):]))


def java_round(x):
    """Java's Math.round: halves go up, where Python's round() goes to even."""
    return math.floor(x + 0.5)


def fio_latency(p50, p99, percentile):
    """A latency curve through the host's p50 and p99: flat below the median, a steep tail above it."""
    if percentile <= 50:
        return java_round(p50 * (0.4 + 0.6 * percentile / 50))
    return java_round(p50 + (p99 - p50) * math.pow((percentile - 50) / 49, 3))


def fio_json(iops, p50, p99, seconds, filename):
    """fio's JSON: " : " between key and value, two-space indents, floats printed with %f."""
    ios = java_round(iops * seconds)
    options = {'name': 'baseline', 'filename': filename, 'readonly': '', 'rw': 'randread', 'bs': '4k',
               'ioengine': 'libaio', 'direct': '1', 'numjobs': '4', 'iodepth': '32', 'time_based': '',
               'runtime': str(seconds)}
    latency = {'min': p50 // 10, 'max': p99 * 4, 'mean': f'{p50 * 1.05:.6f}', 'stddev': f'{p50 * 0.3:.6f}', 'N': ios,
               'percentile': {f'{p:f}': fio_latency(p50, p99, p) for p in FIO_PERCENTILES}}
    read = {'io_bytes': ios * 4096, 'io_kbytes': ios * 4, 'bw_bytes': java_round(iops * 4096),
            'bw': java_round(iops * 4), 'iops': f'{iops:.6f}', 'runtime': seconds * 1000, 'total_ios': ios,
            'short_ios': 0, 'drop_ios': 0, 'clat_ns': latency}
    job = {'jobname': 'baseline', 'groupid': 0, 'error': 0, 'eta': 0, 'elapsed': seconds + 1, 'job options': options,
           'read': read, 'write': {'io_bytes': 0, 'bw': 0, 'iops': '0.000000', 'total_ios': 0}}
    text = json.dumps({'fio version': 'fio-3.33', 'timestamp': 1718000000, 'time': 'Mon Jun 10 06:13:20 2024',
                       'global options': {}, 'jobs': [job]}, indent=2, separators=(',', ' : '))
    # json.dumps would print floats shortest-first: they travel as %f strings and lose their quotes here.
    return re.sub(' : "([0-9]+\\.[0-9]{6})"', r' : \1', text) + '\n'


# --- Libvirt: domains as XML files, printed the way virsh prints them (Libvirt, LibvirtXml) --------------

class Element:
    """A domain XML element that keeps attribute order and namespace prefixes, as LibvirtXml.Element."""

    def __init__(self, name, attrs=None):
        self.name, self.attrs, self.children, self.text = name, attrs or {}, [], ''

    def child(self, name):
        return next((c for c in self.children if c.name == name), None)

    def all(self, name):
        return [c for c in self.children if c.name == name]

    def child_text(self, name):
        c = self.child(name)
        return None if c is None else c.text


def parse_xml(xml):
    """Well-formed XML into Elements: mixed and blank text dropped, leaves' text kept as it is."""
    parser = expat.ParserCreate()
    parser.ordered_attributes = True
    parser.buffer_text = True
    open_elements, roots = [], []

    def start(name, attrs):
        pairs = list(zip(attrs[::2], attrs[1::2]))
        # The simulator's StAX parser reports an element's namespace declarations before its attributes.
        pairs.sort(key=lambda pair: not (pair[0] == 'xmlns' or pair[0].startswith('xmlns:')))
        element = Element(name, dict(pairs))
        (open_elements[-1].children if open_elements else roots).append(element)
        open_elements.append(element)

    def end(_name):
        element = open_elements.pop()
        # Java's isBlank: whitespace, but not the no-break spaces or NEL that Python's isspace() also counts.
        if element.children or all(c.isspace() and c not in '\x85\xa0\u2007\u202f' for c in element.text):
            element.text = ''

    def characters(text):
        if open_elements:
            open_elements[-1].text += text
    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = start, end, characters
    parser.Parse(xml, True)
    return roots[0]


def format_xml(element, indent=''):
    """Two-space indent and single-quoted attributes, as libvirt prints: a parsed document prints back the same."""
    head = indent + '<' + element.name + ''.join(f" {k}='{escape(v, True)}'" for k, v in element.attrs.items())
    if element.children:
        return (head + '>\n' + ''.join(format_xml(c, indent + '  ') for c in element.children)
                + f'{indent}</{element.name}>\n')
    if element.text:
        return f'{head}>{escape(element.text, False)}</{element.name}>\n'
    return head + '/>\n'


def escape(text, attribute):
    text = text.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')
    return text.replace("'", '&apos;').replace('"', '&quot;') if attribute else text


def domain_file(uuid, live=False):
    """A domain's persistent XML; its live XML (what the running QEMU was started with) exists while it runs."""
    return f'{STATE}/domains/{uuid}{".live" if live else ""}.xml'


def running(uuid):
    return os.path.exists(at(domain_file(uuid, live=True)))


def virsh(args, stdin=''):
    """virsh as the catalog uses it: a domain is addressed by UUID everywhere but domuuid, and define
    replaces only the persistent XML, so a running domain keeps its old one until a cold start."""
    sub, rest = (args[0], args[1:]) if args else ('', [])
    libvirt = load('libvirt')
    if sub == 'list':
        return virsh_list(libvirt, rest)
    if sub == 'domuuid' and len(rest) == 1:
        found = [d['uuid'] for d in libvirt['domains'] if d['name'] == rest[0]]
        return ok(found[0] + '\n\n') if found else not_found(rest[0])
    if sub == 'dumpxml' and len(rest) == 3 and rest[:2] == ['--inactive', '--security-info']:
        return with_domain(libvirt, rest[2:], lambda d: ok(read_file(domain_file(d['uuid']))))
    if sub == 'dumpxml':
        # Without --security-info virsh leaves out the graphics password, which is why capture asks for it.
        return with_domain(libvirt, rest, lambda d: ok(re.sub(" passwd='[^']*'", '', read_file(
            domain_file(d['uuid'], live=running(d['uuid']))))))
    if sub == 'domstate' and rest[:1] == ['--reason']:
        return with_domain(libvirt, rest[1:], lambda d: ok(('running' if running(d['uuid']) else 'shut off')
                                                           + f" ({d['reason']})\n\n"))
    if sub == 'domname':
        return with_domain(libvirt, rest, lambda d: ok(d['name'] + '\n\n'))
    if sub == 'define':
        return expect(rest, ['--validate', '/dev/stdin'], lambda: define(libvirt, stdin))
    if sub == 'qemu-agent-command' and len(rest) == 4 and rest[1] in AGENT_ANSWERS and rest[2:] == ['--timeout', '5']:
        return with_domain(libvirt, rest[:1], lambda d: agent_command(libvirt, d, rest[1]))
    if sub in ('emulatorpin', 'iothreadinfo', 'iothreadadd', 'iothreadpin', 'iothreaddel'):
        return with_domain(libvirt, rest[:1], lambda d: pinning(d, sub, rest[1:]))
    if sub == 'version':
        v = libvirt['version']
        return expect(rest, ['--daemon'], lambda: ok(
            f'Compiled against library: libvirt {v}\nUsing library: libvirt {v}\nUsing API: QEMU {v}\n'
            f'Running hypervisor: QEMU 7.2.0\nRunning against daemon: {v}\n\n'))
    raise Unexpected()


def virsh_list(libvirt, args):
    if args == ['--all', '--uuid', '--transient']:
        # Every stub domain is persistent: the Java lab's transient ones (Libvirt.startTransient) are its tests' own.
        return ok('\n')
    if args not in (['--all', '--uuid'], ['--uuid']):
        raise Unexpected()
    return ok(''.join(d['uuid'] + '\n' for d in libvirt['domains'] if args[0] == '--all' or running(d['uuid'])) + '\n')


def with_domain(libvirt, args, then):
    if len(args) != 1 or not UUID.fullmatch(args[0]):
        raise Unexpected()
    found = [d for d in libvirt['domains'] if d['uuid'] == args[0]]
    return then(found[0]) if found else not_found(args[0])


def not_found(ref):
    return fail(1, f"error: failed to get domain '{ref}'\n")


def agent_command(libvirt, domain, command):
    """What the guest's qemu-guest-agent answers, when it is connected (GuestAgent.java)."""
    if not running(domain['uuid']):
        return fail(1, 'error: Requested operation is not valid: domain is not running\n')
    if domain['agent']:
        return ok((guest_info(libvirt['agent_version']) if command == GUEST_INFO else AGENT_ANSWERS[command]) + '\n\n')
    return fail(1, 'error: Guest agent is not responding: QEMU guest agent is not connected\n')


QEMU_LOGS = '/var/log/libvirt/qemu'
# When the lab's guests first started (QemuLogs.FIRST_START): fixed, so that both labs print the same bytes.
FIRST_START = datetime.datetime(2026, 11, 28, 6, 12, 41, 532000, tzinfo=datetime.timezone.utc)


def libvirt_time(at_time):
    return at_time.strftime('%Y-%m-%d %H:%M:%S.') + f'{at_time.microsecond // 1000:03d}+0000'


def append_log(name, text):
    with open(at(f'{QEMU_LOGS}/{name}.log'), 'a') as log:
        log.write(text)


def qemu_start(libvirt, domain, xml, at_time, free_huge_kib=None, confinement=None):
    """libvirt starts QEMU from the persistent XML and logs it (QemuLogs.java, Qemu.java); a guest QEMU cannot run
    (huge pages, a disk denied, the host's access control refusing it) fails with QEMU's error and is shut off
    (failed). Answers virsh's error, or None."""
    name, old = domain['name'], libvirt['version'].startswith('7.')
    home = f"/var/lib/libvirt/qemu/domain-{libvirt['next_id']}-{name}"
    libvirt['next_id'] += 1
    kib = int(re.search(r"<memory unit='KiB'>(\d+)</memory>", xml)[1])
    vcpus = re.search(r"<vcpu placement='static'>(\d+)</vcpu>", xml)[1]
    hardware = load('hardware')
    package = '7.0.0-3+deb11u3 (Debian), qemu version: 5.2.0Debian 1:5.2+dfsg-11+deb11u3' if old \
        else '9.0.0-4+deb12u2 (Debian), qemu version: 7.2.0Debian 1:7.2+dfsg-7+deb12u7'
    lines = ['LC_ALL=C', 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin', f'HOME={home}',
             f'XDG_DATA_HOME={home}/.local/share', f'XDG_CACHE_HOME={home}/.cache', f'XDG_CONFIG_HOME={home}/.config',
             '/usr/bin/qemu-system-x86_64', f'-name guest={name},debug-threads=on', '-S',
             '-object \'{"qom-type":"secret","id":"masterKey0","format":"raw","file":"' + home + '/master-key.aes"}\'',
             '-machine pc-q35-7.2,usb=off,dump-guest-core=off,memory-backend=pc.ram', '-accel kvm', '-cpu host,migratable=on',
             f'-m {kib // 1024}', '-object \'{"qom-type":"memory-backend-ram","id":"pc.ram","size":' + str(kib * 1024) + '}\'',
             f'-smp {vcpus},sockets={vcpus},cores=1,threads=1', f"-uuid {domain['uuid']}", '-no-user-config', '-nodefaults']
    sources = re.findall(r"<source dev='([^']+)'/>", xml)
    blockdevs = []
    for i, source in enumerate(sources):
        node = len(sources) - i
        blockdev = ('{"driver":"host_device","filename":"' + source + f'","node-name":"libvirt-{node}-storage",'
                    '"auto-read-only":true,"discard":"unmap"}')
        blockdevs.append((source, blockdev))
        lines += [f"-blockdev '{blockdev}'",
                  f'-blockdev \'{{"node-name":"libvirt-{node}-format","read-only":false,"driver":"raw",'
                  f'"file":"libvirt-{node}-storage"}}\'',
                  f'-device \'{{"driver":"virtio-blk-pci","drive":"libvirt-{node}-format","id":"virtio-disk{i}"}}\'']
    lines += ['-vnc 127.0.0.1:0,password' if old else '-vnc 127.0.0.1:0,password=on', '-msg timestamp=on']
    append_log(name, f"{libvirt_time(at_time)}: starting up libvirt version: {libvirt['version']}, package: {package}, "
                     f"kernel: {hardware['kernel']}, hostname: {libvirt['hostname']}\n" + ' \\\n'.join(lines) + '\n')
    root = parse_xml(xml)
    backing = root.child('memoryBacking')
    error = None
    if free_huge_kib is not None and backing is not None and backing.child('hugepages') is not None and kib > free_huge_kib:
        error = 'os_mem_prealloc: Insufficient free host memory pages available to allocate guest RAM'
    for source, blockdev in blockdevs:
        if error is None and source in libvirt.get('denied', []):
            error = f"-blockdev {blockdev}: Could not open '{source}': Permission denied"
    refused = confinement(domain['uuid'], root) if error is None and confinement is not None else None
    if refused:
        # The log holds QEMU's own line, without virsh's wrapping of it.
        error = re.sub(r'^error: (internal error: qemu unexpectedly closed the monitor: qemu-system-x86_64: )?', '',
                       refused.rsplit('\n', 1)[-1])
    if error is None:
        write_file(domain_file(domain['uuid'], live=True), xml)
        domain['reason'] = 'booted'
        return None
    qemu_time = at_time + datetime.timedelta(milliseconds=61)
    append_log(name, qemu_time.strftime('%Y-%m-%dT%H:%M:%S.%fZ') + f' qemu-system-x86_64: {error}\n'
               f'{libvirt_time(at_time + datetime.timedelta(milliseconds=112))}: shutting down, reason=failed\n')
    domain['reason'] = 'failed'
    return refused or (f"error: Failed to start domain '{name}'\nerror: internal error: qemu unexpectedly closed the monitor: {error}"
            + (': Cannot allocate memory' if error.startswith('os_mem') else ''))


def guest_info(version):
    supported = ([] if version == OLD_AGENT else AGENT_COMMANDS_7_2) + AGENT_COMMANDS_5_2
    commands = ','.join('{"enabled":true,"name":"%s","success-response":true}' % name for name in supported)
    return '{"return":{"version":"%s","supported_commands":[%s]}}' % (version, commands)


def define(libvirt, text):
    """virsh define --validate /dev/stdin, filling in what libvirt fills in; an unknown UUID defines a new domain."""
    try:
        root = parse_xml(text)
    except expat.ExpatError as e:
        return fail(1, f'error: Failed to define domain from /dev/stdin\nerror: XML error: {e}\n')
    if root.name != 'domain' or 'type' not in root.attrs:
        raise Unexpected()
    found = [d for d in libvirt['domains'] if d['uuid'] == root.child_text('uuid')]
    same_name = [d for d in libvirt['domains'] if d['name'] == root.child_text('name')]
    if same_name and same_name[0] not in found:
        return fail(1, 'error: Failed to define domain from /dev/stdin\n'
                       f"error: operation failed: domain '{same_name[0]['name']}' already exists with uuid {same_name[0]['uuid']}\n")
    if found and found[0]['name'] != root.child_text('name'):
        raise Unexpected()
    devices = root.child('devices')
    targets = [disk.child('target').attrs.get('dev') for disk in devices.all('disk')]
    duplicate = next((t for i, t in enumerate(targets) if t in targets[:i]), None)
    if duplicate is not None:
        return fail(1, 'error: Failed to define domain from /dev/stdin\n'
                       f"error: XML error: target '{duplicate}' duplicated for disk sources\n")
    assign_addresses(devices)
    if not found:
        # As libvirt does: an unknown UUID defines a new domain, shut off, whatever host it may run on elsewhere.
        found = [{'uuid': root.child_text('uuid'), 'name': root.child_text('name'), 'agent': False, 'reason': 'unknown'}]
        libvirt['domains'].append(found[0])
        save('libvirt', libvirt)
    write_file(domain_file(found[0]['uuid']), format_xml(root))
    return ok(f"Domain '{found[0]['name']}' defined from /dev/stdin\n\n")


# --- CPU pinning (LabPinning, LabCpus) --------------------------------------------------------------------

CPU_ONLINE = '/sys/devices/system/cpu/online'
CPU_ISOLATED = '/sys/devices/system/cpu/isolated'


def parse_cpus(text):
    """A CPU list as libvirt's virBitmapParse takes it (0-3,^2 included); None when it is not one."""
    cpus = set()
    for part in text.split(','):
        exclude = part.startswith('^')
        match = re.fullmatch(r'([0-9]{1,4})(?:-([0-9]{1,4}))?', part[1:] if exclude else part)
        if not match or int(match.group(2) or match.group(1)) < int(match.group(1)):
            return None
        span = set(range(int(match.group(1)), int(match.group(2) or match.group(1)) + 1))
        cpus = cpus - span if exclude else cpus | span
    return cpus


def format_cpus(cpus):
    """Ascending ranges, as virBitmapFormat and the kernel print them."""
    ranges = []
    for cpu in sorted(cpus):
        if ranges and ranges[-1][1] == cpu - 1:
            ranges[-1][1] = cpu
        else:
            ranges.append([cpu, cpu])
    return ','.join(str(a) if a == b else f'{a}-{b}' for a, b in ranges)


def online_cpus():
    return parse_cpus(read_file(CPU_ONLINE).strip())


NOT_RUNNING = 'error: Requested operation is not valid: domain is not running\n'


def pinning(domain, command, args):
    """virsh's pinning commands (LabPinning): a query reads the XML the domain runs with, --live changes the live one."""
    uuid = domain['uuid']
    live = bool(args) and args[-1] == '--live'
    shape = (command, len(args), live)
    if shape == ('emulatorpin', 0, False):
        cputune = parse_xml(read_file(domain_file(uuid, live=running(uuid)))).child('cputune')
        pin = cputune.child('emulatorpin') if cputune is not None else None
        affinity = pin.attrs['cpuset'] if pin is not None else format_cpus(online_cpus())
        return ok(f'emulator: CPU Affinity\n----------------------------------\n       *: {affinity}\n\n')
    if shape == ('emulatorpin', 2, True):
        return pin_cpus(domain, args[0], 'emulatorpin', None)
    if shape == ('iothreadinfo', 0, False):
        return iothread_info(parse_xml(read_file(domain_file(uuid, live=running(uuid)))))
    if shape in (('iothreadadd', 2, True), ('iothreaddel', 2, True)) and re.fullmatch(r'[1-9][0-9]{0,8}', args[0]):
        return change_iothreads(domain, command, args[0])
    if shape == ('iothreadpin', 3, True):
        return pin_cpus(domain, args[1], 'iothreadpin', args[0])
    raise Unexpected()


def iothread_info(root):
    """virsh's table (vsh-table.c): columns as wide as their widest cell, each followed by three spaces of dashes."""
    rows = []
    for thread in sorted(iothread_ids(root)):
        pin = iothread_pin(root, str(thread))
        rows.append((str(thread), pin.attrs['cpuset'] if pin is not None else format_cpus(online_cpus())))
    if not rows:
        return ok('No IOThreads found for the domain\n')
    id_width = max(len('IOThread ID'), *(len(r[0]) for r in rows))
    cpu_width = max(len('CPU Affinity'), *(len(r[1]) for r in rows))
    out = ' IOThread ID' + ' ' * (id_width - 11 + 2) + ' CPU Affinity\n' + '-' * (id_width + 3 + cpu_width + 3) + '\n'
    return ok(out + ''.join(f' {t}' + ' ' * (id_width - len(t) + 2) + f' {c}\n' for t, c in rows) + '\n')


def change_iothreads(domain, command, id_text):
    if not running(domain['uuid']):
        return fail(1, NOT_RUNNING)
    root = parse_xml(read_file(domain_file(domain['uuid'], live=True)))
    ids = iothread_ids(root)
    thread = int(id_text)
    if command == 'iothreadadd':
        if thread in ids:
            return fail(1, f"error: invalid argument: an IOThread is already using iothread_id '{thread}'\n")
        ids.add(thread)
    else:
        if thread not in ids:
            return fail(1, f"error: invalid argument: cannot find IOThread '{thread}' in iothreadids list\n")
        devices = root.child('devices')
        users = [d.child('target').attrs['dev'] for d in (devices.all('disk') if devices is not None else [])
                 if d.child('driver') is not None and d.child('driver').attrs.get('iothread') == id_text]
        if users:
            return fail(1, f"error: invalid argument: cannot remove IOThread {thread} since it is being used by disk '{users[0]}'\n")
        ids.discard(thread)
        pin = iothread_pin(root, id_text)
        if pin is not None:
            root.child('cputune').children.remove(pin)
    # As libvirt prints threads added live: the count, then every id; nothing when none is left.
    root.children = [c for c in root.children if c.name not in ('iothreads', 'iothreadids')]
    if ids:
        count, listed = Element('iothreads'), Element('iothreadids')
        count.text = str(len(ids))
        listed.children = [Element('iothread', {'id': str(i)}) for i in sorted(ids)]
        after = index_after(root, ('vcpu',))
        root.children[after:after] = [count, listed]
    write_file(domain_file(domain['uuid'], live=True), format_xml(root))
    return ok('\n')


def pin_cpus(domain, cpulist, element, iothread):
    """virsh emulatorpin UUID CPUS --live, or iothreadpin UUID ID CPUS --live when iothread is given."""
    uuid = domain['uuid']
    wanted = parse_cpus(cpulist)
    if not wanted:
        return fail(1, f"error: Invalid cpulist '{cpulist}'\n")
    if max(wanted) >= load('hardware')['cpus']:
        return fail(1, f"error: CPU {max(wanted)} in cpulist '{cpulist}' exceed the maxcpu {load('hardware')['cpus']}\n")
    if not running(uuid):
        return fail(1, NOT_RUNNING)
    root = parse_xml(read_file(domain_file(uuid, live=True)))
    if iothread is not None and int(iothread) not in iothread_ids(root):
        return fail(1, f'error: invalid argument: iothread {iothread} not found\n')
    if not wanted & online_cpus():
        thread = 1000 + int(uuid[-4:], 16) + (int(iothread) if iothread is not None else 0)
        return fail(1, f'error: cannot set CPU affinity on process {thread}: Invalid argument\n')
    cputune = root.child('cputune')
    if cputune is None:
        cputune = Element('cputune')
        root.children.insert(index_after(root, ('vcpu', 'iothreads', 'iothreadids')), cputune)
    pin = cputune.child('emulatorpin') if iothread is None else iothread_pin(root, iothread)
    if pin is None:
        pin = Element(element, {'iothread': iothread} if iothread is not None else {})
        # libvirt prints the vCPU pins, then the emulator's, then the I/O threads'.
        follows = ('vcpupin',) if iothread is None else ('vcpupin', 'emulatorpin', 'iothreadpin')
        cputune.children.insert(index_after(cputune, follows), pin)
    pin.attrs['cpuset'] = format_cpus(wanted)
    write_file(domain_file(uuid, live=True), format_xml(root))
    return ok('\n')


def iothread_ids(root):
    """The I/O thread ids: those of <iothreadids>, else 1..<iothreads>."""
    listed = root.child('iothreadids')
    if listed is not None:
        return {int(t.attrs['id']) for t in listed.all('iothread')}
    return set(range(1, int(root.child_text('iothreads').strip()) + 1)) if root.child('iothreads') is not None else set()


def iothread_pin(root, thread):
    cputune = root.child('cputune')
    return next((p for p in cputune.all('iothreadpin') if p.attrs.get('iothread') == thread), None) if cputune is not None else None


def index_after(parent, names):
    return max((i + 1 for i, c in enumerate(parent.children) if c.name in names), default=0)


def assign_addresses(devices):
    """What libvirt fills in on define: an index for a controller that has none, a PCI slot for a virtio-scsi
    controller, a drive address for a SCSI disk. Steps must accept XML that grew these."""
    for controller in devices.all('controller'):
        if 'index' not in controller.attrs:
            rest = controller.attrs
            controller.attrs = {'type': rest.pop('type'), 'index': '0', **rest}
        if controller.child('address') is None and controller.attrs.get('model') == 'virtio-scsi':
            controller.children.append(Element('address', {
                'type': 'pci', 'domain': '0x0000', 'bus': '0x00', 'slot': f'0x{free_slot(devices):02x}',
                'function': '0x0'}))
    unit = 0
    for disk in devices.all('disk'):
        if disk.child('target').attrs.get('bus') == 'scsi':
            if disk.child('address') is None:
                disk.children.append(Element('address', {
                    'type': 'drive', 'controller': '0', 'bus': '0', 'target': '0', 'unit': str(unit)}))
            unit += 1


def free_slot(devices):
    used = set()

    def collect(element):
        if element.name == 'address' and element.attrs.get('type') == 'pci':
            used.add(element.attrs.get('slot'))
        for c in element.children:
            collect(c)
    collect(devices)
    slot = 1
    while f'0x{slot:02x}' in used:
        slot += 1
    return slot


# --- LVM, wipefs: state in lvm.json, reports as LVM 2.03 prints them (Lvm, LvmTools) ---------------------

def lvm_changer(program):
    """A program that may change LVM: the state is saved and the /dev/VG/LV links follow, as udev's would."""
    def run(args):
        lvm = load('lvm')
        result = program(lvm, args)
        save('lvm', lvm)
        sync_nodes(lvm)
        return result
    return run


def is_active(lv):
    return lv['attr'][4] == 'a'


def is_pool(lv):
    return lv['attr'][0] == 't'


def has_node(lv):
    """Only active volumes that are not thin pools have a /dev/VG/LV link to a /dev/dm-N node."""
    return is_active(lv) and not is_pool(lv)


def disk_at(lvm, path):
    """The disk a path names, by its kernel name or its /dev/mapper name; None when there is none (Lvm.diskAt)."""
    if path in lvm['disks']:
        return lvm['disks'][path]
    return next((d for d in lvm['disks'].values() if d.get('mapper') and path == f'/dev/mapper/{d["mapper"]}'), None)


def pv_name(lvm, path):
    """The name pvs prints for a PV on the device: LVM prefers /dev/mapper/NAME for a device-mapper device."""
    disk = disk_at(lvm, path)
    return f'/dev/mapper/{disk["mapper"]}' if disk and disk.get('mapper') else path


def lv_extents(lv):
    """Extents taken from the group: a thin volume lives in its pool; a pool also has metadata and a spare."""
    return 0 if lv['pool'] else lv['bytes'] // EXTENT + (2 * 32 if is_pool(lv) else 0)


def lvs_of(lvm, vg):
    return [lv for lv in lvm['lvs'] if lv['vg'] == vg]


def pvs_of(lvm, vg):
    return [pv for pv in lvm['pvs'].values() if pv['vg'] == vg]


def free_extents(lvm, vg):
    """LVM's default 4 MiB extents, after 1 MiB of metadata on each physical volume."""
    return (sum((pv['bytes'] - (1 << 20)) // EXTENT for pv in pvs_of(lvm, vg))
            - sum(lv_extents(lv) for lv in lvs_of(lvm, vg)))


def find_lv(lvm, path):
    parts = path.split('/')
    if len(parts) != 2:
        raise Unexpected()
    return next((lv for lv in lvm['lvs'] if [lv['vg'], lv['name']] == parts), None)


def sync_nodes(lvm):
    """Makes /dev/VG/LV match the active volumes as udev does: each a symlink ../dm-N to the volume's node, new
    nodes 660 root:disk; a node that stays keeps its mode (the real chmod and stat follow the link)."""
    for vg in lvm['vgs']:
        directory = at(f'/dev/{vg}')
        wanted = {lv['name']: lv['dm'] for lv in lvs_of(lvm, vg) if has_node(lv)}
        if wanted and not os.path.isdir(directory):
            os.mkdir(directory, 0o755)
        if not os.path.isdir(directory) or os.path.islink(directory):
            continue
        for name in set(os.listdir(directory)) - set(wanted):
            os.remove(os.path.realpath(f'{directory}/{name}'))
            os.remove(f'{directory}/{name}')
        for name in set(wanted) - set(os.listdir(directory)):
            make_device(f'/dev/{wanted[name]}')
            os.symlink(f'../{wanted[name]}', f'{directory}/{name}')
        if not wanted:
            os.rmdir(directory)


def make_device(path):
    """A fake disk node: a regular file with a device node's mode and owner, for the real stat and chmod."""
    os.close(os.open(at(path), os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    chown(path, 'root', 'disk')
    os.chmod(at(path), 0o660)


def chown(path, user, group):
    """chown, or under BALLAST_LAB_ROOT the owners table (a normal user cannot give a file away), keyed by the
    node a path resolves to, as the real chown follows a symlink."""
    if not ROOT:
        os.chown(path, pwd.getpwnam(user).pw_uid, grp.getgrnam(group).gr_gid)
        return
    owners = load('owners') if os.path.isfile(at(f'{STATE}/owners.json')) else {}
    owners[os.path.realpath(at(path))[len(ROOT):]] = f'{user}:{group}'
    save('owners', owners)


def lvm_report(section, rows):
    """LVM's JSON layout: two spaces of log indent, four per level, one object per line, every value a string."""
    lines = ',\n'.join('                  {' + ', '.join(f'"{k}":"{v}"' for k, v in row) + '}' for row in rows)
    return ('  {\n      "report": [\n          {\n              "' + section + '": [\n'
            + (lines + '\n' if rows else '') + '              ]\n          }\n      ]\n  }\n')


def pvs(args):
    """pvs --reportformat json -o pv_name,vg_name, sorted by device."""
    lvm = load('lvm')
    return expect(args, ['--reportformat', 'json', '-o', 'pv_name,vg_name'], lambda: ok(lvm_report(
        'pv', [[('pv_name', name), ('vg_name', lvm['pvs'][name]['vg'])] for name in sorted(lvm['pvs'])])))


def vgs(args):
    """vgs --reportformat json -o vg_name,pv_count,lv_count, sorted by name."""
    lvm = load('lvm')
    return expect(args, ['--reportformat', 'json', '-o', 'vg_name,pv_count,lv_count'], lambda: ok(lvm_report(
        'vg', [[('vg_name', vg), ('pv_count', len(pvs_of(lvm, vg))), ('lv_count', len(lvs_of(lvm, vg)))]
               for vg in sorted(lvm['vgs'])])))


def lvs(args):
    """lvs --reportformat json -o lv_name,vg_name,lv_attr,lv_size,pool_lv --units b --nosuffix, by group and name."""
    lvm = load('lvm')
    rows = [[('lv_name', lv['name']), ('vg_name', lv['vg']), ('lv_attr', lv['attr']), ('lv_size', lv['bytes']),
             ('pool_lv', lv['pool'])] for lv in sorted(lvm['lvs'], key=lambda lv: (lv['vg'], lv['name']))]
    return expect(args, ['--reportformat', 'json', '-o', 'lv_name,vg_name,lv_attr,lv_size,pool_lv', '--units', 'b',
                         '--nosuffix'], lambda: ok(lvm_report('lv', rows)))


def wipefs(args):
    """wipefs --noheadings --output TYPE DEVICE: the signatures on the disk, one a line; never wipes."""
    if len(args) != 4 or args[:3] != ['--noheadings', '--output', 'TYPE']:
        raise Unexpected()
    disk = disk_at(load('lvm'), args[3])
    if disk is None:
        return fail(1, f'wipefs: error: {args[3]}: probing initialization failed: No such file or directory\n')
    return ok(''.join(t + '\n' for t in disk['signatures']))


def operands(args, count):
    """Only the bare operands the catalog sends; an option that would skip a prompt (-y, -f) is unexpected.
    Every y/n prompt reads end-of-file and so answers no, as on a real host fed no input."""
    if len(args) != count or any(a.startswith('-') for a in args):
        raise Unexpected()
    return args


@lvm_changer
def pvcreate(lvm, args):
    """pvcreate DEVICE: refuses a partitioned disk, a PV of a group, or a disk with another signature."""
    return create_pv(lvm, operands(args, 1)[0])


def create_pv(lvm, device):
    """A device-mapper disk may be named /dev/dm-N or /dev/mapper/NAME; pvs lists its PV by the latter."""
    disk, existing = disk_at(lvm, device), lvm['pvs'].get(pv_name(lvm, device))
    if disk is None:
        return fail(LVM_FAILED, f'  No device found for {device}.\n')
    if existing and existing['vg']:
        return fail(LVM_FAILED, f'  Can\'t initialize physical volume "{device}" of volume group "{existing["vg"]}"'
                                f' without -ff\n  {device}: physical volume not initialized.\n')
    if 'PMBR' in disk['signatures'] or 'dos' in disk['signatures']:
        return fail(LVM_FAILED, f'  Cannot use {device}: device is partitioned\n')
    if existing is None and disk['signatures']:
        kind = disk['signatures'][0]
        return Exec(LVM_FAILED, f'WARNING: {kind} signature detected on {device} at offset '
                                f'{1080 if kind == "ext4" else 0}. Wipe it? [y/n]: [n]\n',
                    f'  Aborted wiping of {kind}.\n  1 existing signature left on the device.\n')
    lvm['pvs'][pv_name(lvm, device)] = {'bytes': disk['bytes'], 'vg': ''}
    disk['signatures'] = ['LVM2_member']
    return ok(f'  Physical volume "{device}" successfully created.\n')


@lvm_changer
def vgcreate(lvm, args):
    """vgcreate VG DEVICE: like LVM 2.03, initialises a device that is not yet a PV on the way."""
    vg, device = operands(args, 2)
    if vg in lvm['vgs']:
        return fail(LVM_FAILED, f'  A volume group called {vg} already exists.\n')
    created = ''
    if pv_name(lvm, device) not in lvm['pvs']:
        result = create_pv(lvm, device)
        if result.code != 0:
            return result
        created = result.out
    pv = lvm['pvs'][pv_name(lvm, device)]
    if pv['vg']:
        return fail(LVM_FAILED, f"  Physical volume '{device}' is already in volume group '{pv['vg']}'\n"
                                f"  Unable to add physical volume '{device}' to volume group '{vg}'\n"
                                f'  {device}: physical volume not initialized.\n')
    pv['vg'] = vg
    lvm['vgs'].append(vg)
    return ok(created + f'  Volume group "{vg}" successfully created\n')


@lvm_changer
def lvcreate(lvm, args):
    """lvcreate -L SIZE --thinpool POOL VG, and no other kind of volume."""
    if len(args) != 5 or args[0] != '-L' or not re.fullmatch('[1-9][0-9]{0,6}[MGT]', args[1]) \
            or args[2] != '--thinpool' or args[3].startswith('-') or args[4].startswith('-'):
        raise Unexpected()
    pool, vg = args[3], args[4]
    if vg not in lvm['vgs']:
        return vg_not_found(vg)
    if find_lv(lvm, f'{vg}/{pool}'):
        return fail(LVM_FAILED, f'  Logical Volume "{pool}" already exists in volume group "{vg}"\n')
    lv = {'vg': vg, 'name': pool, 'attr': 'twi-a-tz--', 'pool': '',
          'bytes': int(args[1][:-1]) << {'M': 20, 'G': 30, 'T': 40}[args[1][-1]]}
    free = free_extents(lvm, vg)
    if lv_extents(lv) > free:
        return fail(LVM_FAILED, f'  Volume group "{vg}" has insufficient free space ({free} extents): '
                                f'{lv_extents(lv)} required.\n')
    lvm['lvs'].append(lv)
    return ok('  Thin pool volume with chunk size 64.00 KiB can address at most 15.81 TiB of data.\n'
              f'  Logical volume "{pool}" created.\n')


@lvm_changer
def lvchange(lvm, args):
    """lvchange -an VG/LV: refused while an active thin volume uses the pool."""
    if len(args) != 2 or args[0] != '-an':
        raise Unexpected()
    lv = find_lv(lvm, args[1])
    if lv is None:
        return fail(LVM_FAILED, f'  Failed to find logical volume "{args[1]}"\n')
    if any(thin['pool'] == lv['name'] and is_active(thin) for thin in lvs_of(lvm, lv['vg'])):
        return fail(LVM_FAILED, f'  Logical volume {args[1]} is used by another device.\n')
    lv['attr'] = lv['attr'][:4] + '--' + lv['attr'][6:]
    return ok()


@lvm_changer
def lvremove(lvm, args):
    """lvremove VG/LV: asks (and so declines) for a pool with thin volumes or an active volume."""
    path = operands(args, 1)[0]
    lv = find_lv(lvm, path)
    if lv is None:
        return fail(LVM_FAILED, f'  Failed to find logical volume "{path}"\n')
    dependent = sum(1 for thin in lvs_of(lvm, lv['vg']) if thin['pool'] == lv['name'])
    if dependent:
        return Exec(LVM_FAILED, f'Removing pool "{lv["name"]}" will remove {dependent} dependent volume(s). '
                                'Proceed? [y/n]: [n]\n', f'  Logical volume "{lv["name"]}" not removed.\n')
    if is_active(lv):
        return Exec(LVM_FAILED, f'Do you really want to remove active logical volume {path}? [y/n]: [n]\n',
                    f'  Logical volume {path} not removed.\n')
    lvm['lvs'].remove(lv)
    return ok(f'  Logical volume "{lv["name"]}" successfully removed.\n')


@lvm_changer
def vgremove(lvm, args):
    """vgremove VG: asks (and so declines) while the group holds volumes."""
    vg = operands(args, 1)[0]
    if vg not in lvm['vgs']:
        return vg_not_found(vg)
    volumes = len(lvs_of(lvm, vg))
    if volumes:
        return Exec(LVM_FAILED, f'Do you really want to remove volume group "{vg}" containing {volumes} logical '
                                'volumes? [y/n]: [n]\n', f'  Volume group "{vg}" not removed\n')
    for pv in pvs_of(lvm, vg):
        pv['vg'] = ''
    lvm['vgs'].remove(vg)
    return ok(f'  Volume group "{vg}" successfully removed\n')


@lvm_changer
def pvremove(lvm, args):
    """pvremove DEVICE: refused for a PV of a group; wipes the label."""
    device = operands(args, 1)[0]
    pv = lvm['pvs'].get(pv_name(lvm, device))
    if pv is None:
        return fail(LVM_FAILED, f'  No PV found on device {device}.\n')
    if pv['vg']:
        return fail(LVM_FAILED, f'  PV {device} is used by VG {pv["vg"]} so please use vgreduce first.\n'
                                '  (If you are certain you need pvremove, then confirm by using --force twice.)\n')
    del lvm['pvs'][pv_name(lvm, device)]
    if disk_at(lvm, device):
        disk_at(lvm, device)['signatures'] = []
    return ok(f'  Labels on physical volume "{device}" successfully wiped.\n')


def vg_not_found(vg):
    return fail(LVM_FAILED, f'  Volume group "{vg}" not found\n  Cannot process volume group {vg}\n')


# --- SELinux: mode and local file-context rules in selinux.json (Selinux) -------------------------------

def selinux_program(program):
    """Where SELinux is not installed (mode null, as on Debian), bash finds no such command."""
    def run(args):
        selinux = load('selinux')
        if selinux['mode'] is None:
            return fail(127, f'bash: line 1: {program.__name__}: command not found\n')
        return program(selinux, args)
    return run


@selinux_program
def getenforce(selinux, args):
    """getenforce: Enforcing, Permissive or Disabled."""
    return expect(args, [], lambda: ok(selinux['mode'] + '\n'))


@selinux_program
def semanage(selinux, args):
    """semanage fcontext --list --locallist, -a/-m -t TYPE SPEC and -d SPEC: "all files" rules only,
    listed in the order they were added, as semanage does."""
    rules = selinux['local']
    if args == ['fcontext', '--list', '--locallist']:
        if not rules:
            return ok()
        return ok(f'{"SELinux fcontext":<50} {"type":<18} Context\n\n' + ''.join(
            f'{spec:<50} {"all files":<18} system_u:object_r:{kind}:s0 \n' for spec, kind in rules.items()))
    if len(args) == 5 and args[0] == 'fcontext' and args[2] == '-t' and re.fullmatch('[a-z0-9_]+_t', args[3]):
        spec, add = args[4], args[1] == '-a'
        if not add and args[1] != '-m':
            raise Unexpected()
        if add == (spec in rules):
            return fail(1, f'ValueError: File context for {spec}{" already defined" if add else " is not defined"}\n')
        rules[spec] = args[3]
    elif len(args) == 3 and args[:2] == ['fcontext', '-d']:
        if rules.pop(args[2], None) is None:
            return fail(1, f'ValueError: File context for {args[2]} is not defined\n')
    else:
        raise Unexpected()
    save('selinux', selinux)
    return ok()


@selinux_program
def restorecon(selinux, args):
    """restorecon -R -i /dev/VG: nothing to relabel in the lab. The catalog always passes -i, because a
    group holding only a thin pool has no /dev directory for restorecon to find."""
    if args[:2] != ['-R', '-i'] or len(args) != 3 or not re.fullmatch('/dev/[A-Za-z0-9_.-]+', args[2]):
        raise Unexpected()
    return ok()


# --- AppArmor: the enabled flag, aa-status, apparmor_parser; guest profiles in apparmor.json (AppArmor) ---------

APPARMOR_ENABLED = '/sys/module/apparmor/parameters/enabled'
APPARMOR_LOCAL = '/etc/apparmor.d/local/abstractions/libvirt-qemu'
APPARMOR_SHIPPED_LOCAL = "# Site-specific additions and overrides for 'abstractions/libvirt-qemu'\n"
APPARMOR_PROFILE_DIR = '/etc/apparmor.d/libvirt/libvirt-'
APPARMOR_SYSTEM_PROFILES = ['/usr/bin/man', '/usr/lib/libvirt/virt-aa-helper', '/usr/sbin/chronyd', 'libvirtd',
                            'libvirtd//qemu_bridge_helper', 'lsb_release', 'man_filter', 'man_groff']
APPARMOR_RULE = re.compile(r'(?:audit\s+)?(deny\s+)?(?:owner\s+)?(/\S*)\s+([A-Za-z]+)\s*(,?)\s*(?:#.*)?')
APPARMOR_MODES = 'rwaklmixUuPpCcD'
SYNTAX_ERROR = 'syntax error, unexpected TOK_ID, expecting TOK_END_OF_RULE'


def apparmor_program(program):
    """Where AppArmor is not installed (RHEL-like hosts), bash finds no such command."""
    def run(args):
        apparmor = load('apparmor')
        if apparmor['enabled'] is None:
            return fail(127, f'bash: line 1: {program.__name__.replace("_status", "-status")}: command not found\n')
        return program(apparmor, args)
    return run


def guests_running():
    return [d['uuid'] for d in load('libvirt')['domains'] if running(d['uuid'])]


@apparmor_program
def aa_status(apparmor, args):
    """aa-status of apparmor 3.0: 0 with policy loaded, 1 when AppArmor is off."""
    if args:
        raise Unexpected()
    if not apparmor['enabled']:
        return Exec(1, 'apparmor module is not loaded.\n')
    everyone = [d['uuid'] for d in load('libvirt')['domains']]
    guests = guests_running()
    profiles = sorted(APPARMOR_SYSTEM_PROFILES + [f'libvirt-{uuid}' for uuid in guests])
    return ok(f'apparmor module is loaded.\n{len(profiles)} profiles are loaded.\n{len(profiles)} profiles are in enforce mode.\n'
              + ''.join(f'   {profile}\n' for profile in profiles)
              + f'0 profiles are in complain mode.\n{len(guests) + 1} processes have profiles defined.\n'
              f'{len(guests) + 1} processes are in enforce mode.\n   /usr/sbin/libvirtd (1187) libvirtd\n'
              + ''.join(f'   /usr/bin/qemu-system-x86_64 ({3101 + everyone.index(uuid)}) libvirt-{uuid}\n' for uuid in guests)
              + '0 processes are in complain mode.\n0 processes are unconfined but have a profile defined.\n')


def parse_apparmor_rules(text):
    """File rules, comments and blank lines of an included file (AppArmorRules): (rules, None) or (None, (line, error))."""
    rules, lines = [], (text or '').splitlines()
    for i, raw in enumerate(lines):
        line = raw.strip()
        if not line or line.startswith('#') and not line.startswith('#include'):
            continue
        rule = APPARMOR_RULE.fullmatch(line)
        if not rule:
            return None, (i + 1, SYNTAX_ERROR)
        bad = [c for c in rule[3] if c not in APPARMOR_MODES]
        if bad:
            return None, (i + 1, f"Found unexpected character: '{bad[0]}'")
        if not rule[4]:
            return None, (min(i + 2, len(lines) + 1), SYNTAX_ERROR)
        rules.append((rule[1] is not None, rule[2], rule[3]))
    return rules, None


def apparmor_glob(glob):
    return ''.join('.*' if part == '**' else '[^/]*' if part == '*' else '[^/]' if part == '?' else re.escape(part)
                   for part in re.findall(r'\*\*|\*|\?|[^*?]', glob))


def grants_read_write(rules, path):
    read = write = False
    for deny, glob, modes in rules:
        if re.fullmatch(apparmor_glob(glob), path):
            if deny and ('r' in modes or 'w' in modes):
                return False
            read, write = read or 'r' in modes, write or 'w' in modes
    return read and write


def rules_text(rules):
    return [('deny ' if deny else '') + f'{glob} {modes},' for deny, glob, modes in rules]


def local_abstraction():
    return read_file(APPARMOR_LOCAL) if os.path.isfile(at(APPARMOR_LOCAL)) else None


@apparmor_program
def apparmor_parser(apparmor, args):
    """apparmor_parser -r FILE of a running guest's profile, which includes the local abstraction."""
    if len(args) != 2 or args[0] != '-r' or not args[1].startswith(APPARMOR_PROFILE_DIR):
        raise Unexpected()
    if not apparmor['enabled']:
        return fail(1, 'Cache read/write disabled: interface file missing. (Kernel needs AppArmor 2.4 compatibility patch.)\n'
                       'Warning: unable to find a suitable fs in /proc/mounts, is it mounted?\nUse --subdomainfs to override.\n')
    uuid = args[1][len(APPARMOR_PROFILE_DIR):]
    if uuid not in guests_running():
        return fail(1, f'File {args[1]} not found, skipping...\n')
    rules, error = parse_apparmor_rules(local_abstraction())
    if error:
        return fail(1, f'AppArmor parser error for {args[1]} in profile {APPARMOR_LOCAL} at line {error[0]}: {error[1]}\n')
    apparmor['loaded'][uuid] = rules_text(rules)
    save('apparmor', apparmor)
    return ok()


def apparmor_start(apparmor, lvm, uuid, root):
    """Whether QEMU may start the guest (AppArmor.start): each block disk that is a volume must have its dm node
    granted read and write by the local abstraction. The error virsh start prints, or None (the profile loaded)."""
    if not apparmor['enabled']:
        return None
    name = root.child_text('name')
    rules, error = parse_apparmor_rules(local_abstraction())
    if error:
        return f"error: Failed to start domain '{name}'\nerror: internal error: cannot load AppArmor profile 'libvirt-{uuid}'"
    devices = root.child('devices')
    for disk in devices.all('disk') if devices is not None else []:
        source = disk.child('source')
        dev = source.attrs.get('dev') if disk.attrs.get('type') == 'block' and source is not None else None
        node = next((f'/dev/{lv["dm"]}' for lv in lvm['lvs'] if has_node(lv) and f'/dev/{lv["vg"]}/{lv["name"]}' == dev), None)
        if node and not grants_read_write(rules, node):
            return (f"error: Failed to start domain '{name}'\nerror: internal error: qemu unexpectedly closed the monitor: "
                    f'qemu-system-x86_64: -blockdev {{"driver":"host_device","filename":"{dev}","node-name":"libvirt-1-storage",'
                    f'"auto-read-only":true,"discard":"unmap"}}: Could not open \'{dev}\': Permission denied')
    apparmor['loaded'][uuid] = rules_text(rules)
    return None


PROGRAMS = {
    'tee': tee, 'sysctl': sysctl, 'udevadm': udevadm, 'virt-host-validate': virt_host_validate, 'virsh': virsh,
    'pvs': pvs, 'vgs': vgs, 'lvs': lvs, 'wipefs': wipefs, 'pvcreate': pvcreate, 'vgcreate': vgcreate,
    'lvcreate': lvcreate, 'lvchange': lvchange, 'lvremove': lvremove, 'vgremove': vgremove, 'pvremove': pvremove,
    'getenforce': getenforce, 'semanage': semanage, 'restorecon': restorecon, 'nvme': nvme, 'sensors': sensors,
    'lspci': lspci, 'fio': fio, 'uname': uname, 'journalctl': journalctl, 'dmesg': dmesg,
    'aa-status': aa_status, 'apparmor_parser': apparmor_parser,
}


# --- The initial state of host INDEX (LabHosts.typical, LabDomains.populate, LvmLayout.typical) ----------

def init(index):
    """The in-process lab's host of the same index (LabHosts.typical): hardware, disks, domains, LVM and SELinux
    vary by index exactly as there, and the lab contract (LabContract) holds both to it byte for byte."""
    if os.listdir(at(STATE)) != ['lock']:
        sys.exit(f'labtool: {STATE} already holds a host\'s state')
    kind = index % 8
    hardware = {
        'controllers': controllers(index),
        'kernel': '5.14.0-362.8.1.el9_3.x86_64' if kind == 3 else '6.1.0-27-amd64',
        'iommu': 'disabled-in-kernel' if kind == 4 else 'no-hardware' if kind == 7 else 'enabled',
        'vhost_net': kind != 0,
        'nvme_cli': kind != 2,
        'sensors_quoted_label': index % 16 == 10,
        'fio_warning': index % 2 == 1,
        # CPUs present, libvirt's maxcpu (LabHosts.cpus); which are online and isolated is in /sys/devices/system/cpu.
        'cpus': 8 if index % 2 == 0 else 16,
        # IOPS, median and 99th percentile completion latency (ns) of the catalog's fio job per disk.
        'fio': {'nvme0n1': [391_204.5 if kind == 6 else 612_480.25 + index * 37.5, 204_800, 411_648],
                'nvme1n1': [598_016.75, 209_920, 419_840], 'sda': [71_903.4, 1_777_664, 3_063_808]}}
    save('hardware', hardware)
    # One host in six has failing disks in its kernel log; one in twelve no journald (LabHosts.kernelLog).
    save('kernel-log', {'journald': index % 12 != 4,
                        'entries': BOOT_KERNEL_LOG + (FAILING_DISKS_KERNEL_LOG if index % 6 == 5 else [])})
    init_sysfs(index, hardware)
    init_domains(index)
    rewrite_in_place('/proc/meminfo', meminfo(hugepages()))
    rewrite_in_place('/proc/cmdline', KERNEL_COMMAND_LINE)
    lvm = init_lvm(index)
    init_selinux(index)
    init_apparmor(index)
    init_etc()
    for disk in sorted({*lvm['disks'], *lvm['pvs'], '/dev/nvme0', '/dev/nvme1'} - {*mapper_links(lvm)}):
        make_device(disk)
    os.makedirs(at('/dev/mapper'), exist_ok=True)
    for link, node in mapper_links(lvm).items():
        os.symlink(f'../{node}', at(link))
    sync_nodes(lvm)
    if index % 3 == 2:
        os.chmod(at('/dev/vg_storage/vm-db01'), 0o640)
    if index % 3 == 0:
        chown('/dev/vg_data/vm-app01', 'libvirt-qemu', 'kvm')


def controllers(index):
    """The NVMe controllers of host INDEX (LabHosts.hardware): each under the sysfs path of its bridge, with its
    link's capable (LnkCap) and trained (LnkSta) speed and width."""
    def controller(name, parent, address, kelvin, speed='16GT/s', width=4):
        return {'name': name, 'parent': parent, 'address': address, 'kelvin': kelvin, 'cap_speed': '16GT/s',
                'speed': speed, 'cap_width': 4, 'width': width}
    kind = index % 8
    nvme0_speed = '8GT/s' if index % 16 == 9 else '16GT/s'
    nvme0_width = 2 if kind == 6 else 4
    if index % 16 == 11:
        # VMD's own bus (e0) hangs below the VMD device in domain 0000; the drives' functions are in 10000.
        vmd = 'pci0000:00/0000:00:0e.0/pci10000:e0/'
        return [controller('nvme0', vmd + '10000:e0:06.0', '10000:e1:00.0', 308 + index % 5, nvme0_speed),
                controller('nvme1', vmd + '10000:e0:1d.0', '10000:e2:00.0', 311 + index % 3)]
    return [controller('nvme0', 'pci0000:00/0000:00:01.1', '0000:01:00.0', 350 if kind == 5 else 308 + index % 5,
                       nvme0_speed, nvme0_width),
            controller('nvme1', 'pci0000:00/0000:00:01.2', '0000:02:00.0', 311 + index % 3)]


def init_sysfs(index, hardware):
    """What the catalog reads under /sys. Each controller's class entry links to its PCI function's nvme
    directory, whose device link points back up to the function, as in real sysfs."""
    nvme = ['none', 'mq-deadline', 'kyber', 'bfq']
    boot = {}  # what the distribution sets at boot: the scheduler each disk was found with
    depths = {}
    for disk, offered, active, wwid_file, wwid in [
            ('nvme0n1', nvme, 'none' if index % 5 == 0 else 'mq-deadline', 'wwid', f'eui.0025385b{index:08x}'),
            ('nvme1n1', nvme, 'none', 'wwid', f'eui.0025385c{index:08x}'),
            ('sda', ['mq-deadline', 'kyber', 'bfq', 'none'], 'mq-deadline', 'device/wwid', f'naa.5000c500{index:08x}'),
            # every seventh host: a disk behind an old single-queue driver, in the legacy list format
            *([('sdb', ['noop', 'deadline', 'cfq'], 'cfq', 'device/wwid', f'naa.5000c501{index:08x}')] if index % 7 == 0 else []),
            # stacked devices without a scheduler of their own: device-mapper, md RAID, an NVMe multipath head
            ('dm-0', ['none'], None, None, None), ('md0', ['none'], None, None, None),
            ('nvme2n1', ['none'], None, 'wwid', f'eui.0025385d{index:08x}')]:
        create(f'/sys/block/{disk}/queue/scheduler', render_scheduler(offered, active))
        depth = 1023 if disk.startswith('nvme') else 32  # an NVMe controller's tags, a SATA disk's NCQ depth
        create(f'/sys/block/{disk}/queue/nr_requests',
               f'{DEFAULT_RQ if active is None else depth if active == "none" else 2 * min(depth, DEFAULT_RQ)}\n')
        create(f'/sys/block/{disk}/queue/read_ahead_kb', f'{READ_AHEAD_KB}\n')
        depths[disk] = depth
        boot[disk] = active
        if wwid_file:
            create(f'/sys/block/{disk}/{wwid_file}', wwid + '\n')
    save('boot', {'schedulers': {disk: active for disk, active in boot.items() if active is not None}, 'depths': depths})
    os.makedirs(at('/sys/class/nvme'))
    for c in hardware['controllers']:
        function = f'{c["parent"]}/{c["address"]}'
        os.makedirs(at(f'/sys/devices/{function}/nvme/{c["name"]}'))
        os.symlink(f'../../../{c["address"]}', at(f'/sys/devices/{function}/nvme/{c["name"]}/device'))
        os.symlink(f'../../devices/{function}/nvme/{c["name"]}', at(f'/sys/class/nvme/{c["name"]}'))
    for kib in HUGEPAGE_SIZES_KIB:
        create(hugepage_knob(kib), '0\n')
    # LabHosts.cpus: the last CPU offline on hosts 3, 8, 13...; isolcpus=2-3 on hosts 1, 4, 7...
    count = hardware['cpus']
    create(CPU_ONLINE, format_cpus(set(range(count)) - ({count - 1} if index % 5 == 3 else set())) + '\n')
    create(CPU_ISOLATED, ('2-3' if index % 3 == 1 else '') + '\n')


def create(path, text):
    os.makedirs(os.path.dirname(at(path)), exist_ok=True)
    with open(at(path), 'w') as f:
        f.write(text)


def init_domains(host):
    """vm-N-1 runs with a connected guest agent and two virtio disks; vm-N-2 is shut off, with a SATA CD-ROM
    already named sda (on even hosts vm-N-1 pins its vCPUs to CPUs 2 and 3); odd hosts add vm-N-3, running with an agent that does not answer and a virtio-scsi
    controller already present, owned by OpenStack nova on every third host. Hosts divisible by four run
    libvirt 7.0.0 (Debian 11), the rest 9.0.0 (Debian 12). libosinfo metadata names vm-N-2's OS: Debian 12 on
    hosts 2, 6, 10..., Windows Server 2022 on hosts divisible by four, nothing elsewhere. Guest agents run the
    qemu-guest-agent 5.2.0 of Debian 11, never upgraded, on hosts 2, 5, 8..., else 7.2.0."""
    os_of_2 = libosinfo_metadata('http://debian.org/debian/12') if host % 4 == 2 \
        else libosinfo_metadata('http://microsoft.com/win/2k22') if host % 4 == 0 else ''
    domains = [(1, 4194304, 2, domain_disks(host, 1, 2) + AGENT_CHANNEL, '', 3, True, True),
               (2, 2097152, 1, domain_disks(host, 2, 1) + CDROM, os_of_2, 4, False, False)]
    if host % 2 == 1:
        domains.append((3, 8388608, 4, domain_disks(host, 3, 1) + SCSI_CONTROLLER + AGENT_CHANNEL,
                        nova_metadata(host) if host % 3 == 0 else '', 5, True, False))
    os.mkdir(at(f'{STATE}/domains'))
    os.makedirs(at(QEMU_LOGS), exist_ok=True)
    libvirt = {'version': '7.0.0' if host % 4 == 0 else '9.0.0', 'domains': [], 'hostname': f'hv-{host:03d}', 'next_id': 1,
               'agent_version': OLD_AGENT if host % 3 == 2 else CURRENT_AGENT}
    for n, memory, vcpus, devices, metadata, nic_slot, is_running, agent in domains:
        uuid = f'{0x6c616200 + host:08x}-{n:04x}-4{host % 4096:03x}-8{n:03x}-{host * 1000 + n:012x}'
        xml = format_xml(parse_xml(domain_xml(host, n, uuid, memory, vcpus, devices, metadata, nic_slot)))
        write_file(domain_file(uuid), xml)
        domain = {'uuid': uuid, 'name': f'vm-{host}-{n}', 'agent': agent, 'reason': 'unknown'}
        libvirt['domains'].append(domain)
        if is_running:
            qemu_start(libvirt, domain, xml, FIRST_START)
    save('libvirt', libvirt)


def domain_xml(host, n, uuid, memory, vcpus, devices, metadata, nic_slot):
    return (f"<domain type='kvm'>\n  <name>vm-{host}-{n}</name>\n  <uuid>{uuid}</uuid>\n{metadata}"
            f"  <memory unit='KiB'>{memory}</memory>\n  <currentMemory unit='KiB'>{memory}</currentMemory>\n"
            f"  <vcpu placement='static'>{vcpus}</vcpu>\n"
            + ("  <cputune>\n    <vcpupin vcpu='0' cpuset='2'/>\n    <vcpupin vcpu='1' cpuset='3'/>\n  </cputune>\n"
               if n == 1 and host % 2 == 0 else '')
            + "  <os>\n    <type arch='x86_64' machine='pc-q35-7.2'>hvm</type>\n    <boot dev='hd'/>\n  </os>\n"
            "  <features>\n    <acpi/>\n    <apic/>\n  </features>\n"
            "  <cpu mode='host-passthrough' check='none' migratable='on'/>\n  <clock offset='utc'/>\n"
            "  <on_poweroff>destroy</on_poweroff>\n  <on_reboot>restart</on_reboot>\n  <on_crash>destroy</on_crash>\n"
            "  <devices>\n    <emulator>/usr/bin/qemu-system-x86_64</emulator>\n" + devices
            + "    <interface type='bridge'>\n"
            f"      <mac address='52:54:00:{host // 256 % 256:02x}:{host % 256:02x}:{n:02x}'/>\n"
            "      <source bridge='br0'/>\n      <model type='virtio'/>\n" + pci_address(nic_slot)
            + "    </interface>\n"
            f"    <graphics type='vnc' port='-1' autoport='yes' listen='127.0.0.1' passwd='s3cret-{host}-{n}'>\n"
            "      <listen type='address' address='127.0.0.1'/>\n    </graphics>\n  </devices>\n</domain>\n")


def domain_disks(host, n, count):
    return ''.join("    <disk type='block' device='disk'>\n      <driver name='qemu' type='raw'/>\n"
                   f"      <source dev='/dev/vg_storage/vm-{host}-{n}{'-root' if i == 0 else f'-data{i}'}'/>\n"
                   f"      <target dev='vd{chr(ord('a') + i)}' bus='virtio'/>\n" + pci_address(7 + i) + '    </disk>\n'
                   for i in range(count))


def pci_address(slot):
    return f"      <address type='pci' domain='0x0000' bus='0x{slot:02x}' slot='0x00' function='0x0'/>\n"


CDROM = ("    <disk type='file' device='cdrom'>\n      <driver name='qemu' type='raw'/>\n"
         "      <source file='/var/lib/libvirt/images/debian-12.iso'/>\n      <target dev='sda' bus='sata'/>\n"
         "      <readonly/>\n      <address type='drive' controller='0' bus='0' target='0' unit='0'/>\n    </disk>\n")
SCSI_CONTROLLER = ("    <controller type='scsi' index='0' model='virtio-scsi'>\n" + pci_address(6)
                   + "    </controller>\n")
AGENT_CHANNEL = ("    <channel type='unix'>\n      <target type='virtio' name='org.qemu.guest_agent.0'/>\n"
                 "      <address type='virtio-serial' controller='0' bus='0' port='1'/>\n    </channel>\n")


def libosinfo_metadata(os_id):
    return ("  <metadata>\n    <libosinfo:libosinfo xmlns:libosinfo='http://libosinfo.org/xmlns/libvirt/domain/1.0'>\n"
            f"      <libosinfo:os id='{os_id}'/>\n    </libosinfo:libosinfo>\n  </metadata>\n")


def nova_metadata(host):
    return ("  <metadata>\n    <nova:instance xmlns:nova='http://openstack.org/xmlns/libvirt/nova/1.1'>\n"
            f"      <nova:package version='27.1.0'/>\n      <nova:name>web-{host}</nova:name>\n"
            "      <nova:flavor name='m1.large'>\n        <nova:memory>8192</nova:memory>\n"
            "        <nova:vcpus>4</nova:vcpus>\n      </nova:flavor>\n    </nova:instance>\n  </metadata>\n")


def mapper_links(lvm):
    """/dev/mapper/NAME of each device-mapper disk, with the dm-N node it links to."""
    return {f'/dev/mapper/{d["mapper"]}': path[len('/dev/'):] for path, d in lvm['disks'].items() if d.get('mapper')}


def init_lvm(index):
    """Every host boots from vg_os on a partition of sda (root and swap are dm-0 and dm-1) and has a blank
    nvme1n1. Then by index modulo 3: (1) nvme0n1 blank, a leftover ext4 disk sdb, and a multipath SAN LUN
    (dm-2, which pvs names /dev/mapper/mpatha) that the storage team made a PV of no group; (2) vg_storage on
    nvme0n1 with linear VM disks and no pool, sdb ext4; (0) vg_data spanning nvme0n1 and sdb with a thin pool
    in use. Device-mapper minors are handed out in activation order, as the kernel does (LvmLayout)."""
    nvme_bytes, sdb_bytes, lun_bytes = 1920383410176, 960197124096, 2199023255552
    lvm = {'disks': {'/dev/sda': {'bytes': 480103981056, 'signatures': ['gpt', 'gpt', 'PMBR']},
                     '/dev/nvme1n1': {'bytes': nvme_bytes, 'signatures': []}},
           'pvs': {'/dev/sda3': {'bytes': 478056890368, 'vg': 'vg_os'}}, 'vgs': ['vg_os'], 'lvs': []}
    minors = iter(range(1 << 20))

    def lv(vg, name, attr, size, pool=''):
        volume = {'vg': vg, 'name': name, 'attr': attr, 'bytes': size, 'pool': pool}
        if has_node(volume):
            volume['dm'] = f'dm-{next(minors)}'
        lvm['lvs'].append(volume)
    lv('vg_os', 'root', '-wi-ao----', 50 * GIB)
    lv('vg_os', 'swap', '-wi-ao----', 8 * GIB)
    kind = index % 3
    lvm['disks']['/dev/nvme0n1'] = {'bytes': nvme_bytes, 'signatures': [] if kind == 1 else ['LVM2_member']}
    lvm['disks']['/dev/sdb'] = {'bytes': sdb_bytes, 'signatures': ['LVM2_member'] if kind == 0 else ['ext4']}
    if kind == 1:
        lvm['disks'][f'/dev/dm-{next(minors)}'] = {'bytes': lun_bytes, 'signatures': ['LVM2_member'], 'mapper': 'mpatha'}
        lvm['pvs']['/dev/mapper/mpatha'] = {'bytes': lun_bytes, 'vg': ''}
    elif kind == 2:
        lvm['pvs']['/dev/nvme0n1'] = {'bytes': nvme_bytes, 'vg': 'vg_storage'}
        lvm['vgs'].append('vg_storage')
        lv('vg_storage', 'vm-web01', '-wi-ao----', 100 * GIB)
        lv('vg_storage', 'vm-db01', '-wi-a-----', 200 * GIB)  # its node is 640: see init
        lv('vg_storage', 'iso-archive', '-wi-------', 50 * GIB)
    elif kind == 0:
        lvm['pvs']['/dev/nvme0n1'] = {'bytes': nvme_bytes, 'vg': 'vg_data'}
        lvm['pvs']['/dev/sdb'] = {'bytes': sdb_bytes, 'vg': 'vg_data'}
        lvm['vgs'].append('vg_data')
        lv('vg_data', 'tp_data', 'twi-aotz--', 1024 * GIB)
        lv('vg_data', 'vm-app01', 'Vwi-aotz--', 300 * GIB, 'tp_data')  # its node is libvirt-qemu:kvm: see init
    save('lvm', lvm)
    return lvm


def init_selinux(index):
    """Enforcing on most hosts, permissive on some, disabled on a few, not installed on every fourth."""
    mode = None if index % 4 == 0 else 'Disabled' if index % 8 == 7 else 'Permissive' if index % 4 == 3 else 'Enforcing'
    local = {'/srv/images(/.*)?': 'virt_image_t'} if mode else {}
    if index % 4 == 2:
        local['/dev/vg_storage(/.*)?'] = 'fixed_disk_device_t'
    save('selinux', {'mode': mode, 'local': local})


def init_apparmor(index):
    """Debian-like hosts (no SELinux, every fourth) run AppArmor, with the local abstraction as Debian ships it;
    one in twelve boots with apparmor=0."""
    enabled = index % 12 != 0 if index % 4 == 0 else None
    save('apparmor', {'enabled': enabled, 'loaded': {}})
    if enabled is not None:
        for path, text in ((APPARMOR_ENABLED, 'Y\n' if enabled else 'N\n'), (APPARMOR_LOCAL, APPARMOR_SHIPPED_LOCAL)):
            os.makedirs(os.path.dirname(at(path)), exist_ok=True)
            with open(at(path), 'w') as f:
                f.write(text)


def init_etc():
    """What a hypervisor's /etc has and the machine's may lack: udev's rules directory (the catalog writes
    rules there), and the kvm group and libvirt-qemu user that own a running VM's disk. Written into the
    host's own /etc overlay; --no-log-init keeps useradd out of the machine's /var/log."""
    os.makedirs(at('/etc/udev/rules.d'), exist_ok=True)
    if ROOT:
        return  # owners are names in the owners table there
    if 'kvm' not in {group.gr_name for group in grp.getgrall()}:
        subprocess.run(['groupadd', '--system', 'kvm'], check=True)
    if 'libvirt-qemu' not in {user.pw_name for user in pwd.getpwall()}:
        subprocess.run(['useradd', '--system', '--no-log-init', '--gid', 'kvm', '--no-create-home',
                        '--home-dir', '/var/lib/libvirt', '--shell', '/usr/sbin/nologin', '--comment', 'Libvirt Qemu',
                        'libvirt-qemu'], check=True)


# --- Reboot: what Boot.java does -----------------------------------------------------------------------

BOOT_SYSCTL = re.compile(r'^\s*vm\.nr_hugepages\s*=\s*(\d+)\s*$', re.M)
BOOT_CMDLINE = re.compile(r'(?<!\S)hugepages=(\d+)(?!\S)')
BOOT_TMPFILES = re.compile(r'^w\s+/sys/kernel/mm/hugepages/hugepages-(\d+)kB/nr_hugepages\s+-\s+-\s+-\s+-\s+(\d+)\s*$', re.M)
BOOT_QUEUE_RULE = re.compile(r'^ACTION=="add\|change", SUBSYSTEM=="block", (?:ATTRS\{wwid\}=="([^"]+)"|KERNEL=="([^"]+)")'
                             r'((?:, ATTR\{queue/[a-z_]+\}="[^"]*")+)$', re.M)
BOOT_ATTRIBUTE = re.compile(r'ATTR\{queue/([a-z_]+)\}="([^"]*)"')
BOOT_MODE_RULE = re.compile(r'^ENV\{DM_VG_NAME\}=="([^"]+)", MODE="0?([0-7]{3})"$', re.M)


def reboot():
    """The host reboots (Boot.java): what lives only in the running kernel is lost (schedulers go back to what
    the distribution sets, huge page pools empty, /dev nodes 660, every guest stops); then the boot applies
    what is persisted: hugepages= on the kernel command line, sysctl.d in name order and /etc/sysctl.conf last,
    tmpfiles.d, udev rules; and the guests that ran start from their persistent XML, or fail for lack of huge
    pages as QEMU does. Answers the errors of the guests that did not start."""
    libvirt = load('libvirt')
    were_running = [d for d in libvirt['domains'] if running(d['uuid'])]
    now = datetime.datetime.now(datetime.timezone.utc)
    for domain in were_running:
        os.remove(at(domain_file(domain['uuid'], live=True)))
        append_log(domain['name'], f'{libvirt_time(now)}: shutting down, reason=shutdown\n')
        domain['reason'] = 'shutdown'
    pages = {kib: 0 for kib in HUGEPAGE_SIZES_KIB}
    for disk, depth in load('boot')['depths'].items():
        active = load('boot')['schedulers'].get(disk)
        if active is not None:
            path = f'/sys/block/{disk}/queue/scheduler'
            rewrite_in_place(path, render_scheduler(scheduler(path)[0], active))
            rewrite_in_place(f'/sys/block/{disk}/queue/nr_requests', f'{depth_for(disk, active)}\n')
        rewrite_in_place(f'/sys/block/{disk}/queue/read_ahead_kb', f'{READ_AHEAD_KB}\n')
    lvm = load('lvm')
    for lv in lvm['lvs']:
        if has_node(lv):
            os.chmod(at(f'/dev/{lv["vg"]}/{lv["name"]}'), 0o660)
    save('kernel-log', dict(load('kernel-log'), entries=BOOT_KERNEL_LOG))
    apparmor = dict(load('apparmor'), loaded={})

    pages_2m = None
    for match in BOOT_CMDLINE.finditer(read_file('/proc/cmdline')):
        pages_2m = int(match[1])
    for path in etc_files('/etc/sysctl.d', '.conf') + (['/etc/sysctl.conf'] if os.path.isfile(at('/etc/sysctl.conf')) else []):
        for match in BOOT_SYSCTL.finditer(read_file(path)):
            pages_2m = int(match[1])
    if pages_2m is not None:
        pages[2048] = min(pages_2m, max(0, available_kib(pages)) // 2048)
    for path in etc_files('/etc/tmpfiles.d', '.conf'):
        for match in BOOT_TMPFILES.finditer(read_file(path)):
            if int(match[1]) in pages:
                pages[int(match[1])] = min(int(match[2]), max(0, available_kib(pages)) // int(match[1]))
    for kib, count in pages.items():
        rewrite_in_place(hugepage_knob(kib), f'{count}\n')
    for path in etc_files('/etc/udev/rules.d', '.rules'):
        udev_at_boot(lvm, read_file(path))

    errors = []
    for domain in were_running:
        error = qemu_start(libvirt, domain, read_file(domain_file(domain['uuid'])), datetime.datetime.now(datetime.timezone.utc),
                           pages[2048] * 2048 - guest_memory()[1],
                           lambda uuid, root: apparmor_start(apparmor, lvm, uuid, root))
        if error is not None:
            errors.append(error)
    save('libvirt', libvirt)
    save('apparmor', apparmor)
    rewrite_in_place('/proc/meminfo', meminfo(pages))
    return errors


def etc_files(directory, suffix):
    return sorted(f'{directory}/{name}' for name in os.listdir(at(directory)) if name.endswith(suffix)) \
        if os.path.isdir(at(directory)) else []


def udev_at_boot(lvm, rules):
    """udev writes the queue attributes a rule names, in order (a stacked device ignores a scheduler, one the disk
    lacks is refused, a scheduler switch resets the depth) and sets the mode of a group's volume nodes."""
    for wwid, kernel, attributes in BOOT_QUEUE_RULE.findall(rules):
        for name, value in BOOT_ATTRIBUTE.findall(attributes):
            # udev writes each attribute in order as the kernel takes it; what the kernel refuses udev only logs.
            for disk in load('boot')['depths']:
                if disk == kernel if kernel else wwid_of(disk) == wwid:
                    if name == 'scheduler':
                        path = f'/sys/block/{disk}/queue/scheduler'
                        if value in scheduler(path)[0]:
                            set_scheduler(path, value)
                    else:
                        set_queue_value(disk, name, value)
    for vg, mode in BOOT_MODE_RULE.findall(rules):
        for lv in lvs_of(lvm, vg):
            if has_node(lv):
                os.chmod(at(f'/dev/{vg}/{lv["name"]}'), int(mode, 8))


def wwid_of(disk):
    for path in (f'/sys/block/{disk}/wwid', f'/sys/block/{disk}/device/wwid'):
        if os.path.isfile(at(path)):
            return read_file(path).strip()
    return None


# --- Entry -----------------------------------------------------------------------------------------------

def labtool(args):
    if args == ['programs']:
        print('\n'.join(PROGRAMS))
        return 0
    if args == ['reboot']:
        with locked():
            print(''.join(error + '\n' for error in reboot()), end='')
        return 0
    if len(args) == 2 and args[0] == 'init' and re.fullmatch('[1-9][0-9]{0,3}', args[1]):
        if ROOT:
            make_root()
        with locked():
            init(int(args[1]))
        return 0
    if args == ['serve'] and ROOT:
        serve()
        return 0
    print(__doc__.split('\n\n')[-1], file=sys.stderr)
    return 2


def make_root():
    """What deploy/lab/lab mounts for a host in its namespace, as plain directories under BALLAST_LAB_ROOT."""
    if not os.path.isabs(ROOT) or os.path.realpath(ROOT) != ROOT:
        sys.exit(f'labtool: BALLAST_LAB_ROOT={ROOT} must be an absolute path without symlinks')
    for directory in ('/etc/sysctl.d', '/etc/tmpfiles.d', '/sys', '/dev', '/proc', STATE):
        os.makedirs(at(directory), exist_ok=True)
    for file in ('/proc/meminfo', '/proc/cmdline'):
        open(at(file), 'a').close()


# The coreutils and grep of a lab host that the catalog calls: real, on paths put under BALLAST_LAB_ROOT.
REAL_PROGRAMS = ('tail', 'grep', 'readlink', 'rm', 'chmod', 'stat', 'tee')


def serve():
    """One command a line on stdin, {"argv": [...], "stdin": "..."}, each answered on a line of stdout with
    {"exit": N, "stdout": "...", "stderr": "..."}: one process for a whole transcript, where a process per
    command would spend most of a replay starting Python."""
    for line in sys.stdin:
        command = json.loads(line)
        environment = dict(os.environ)
        try:
            result = run_command(command['argv'], command.get('stdin') or '')
        finally:
            os.environ.clear()
            os.environ.update(environment)
        print(json.dumps({'exit': result.code, 'stdout': result.out, 'stderr': result.err}), flush=True)


def run_command(argv, stdin):
    """One command as a lab host's sshd would run it, under BALLAST_LAB_ROOT: env's assignments, then a stub or
    a real program whose absolute paths are put under the root and whose output has the root taken out."""
    if argv[0] == 'env':
        assignments = list(itertools.takewhile(lambda a: re.fullmatch('[A-Z_]+=.*', a), argv[1:]))
        os.environ.update(a.split('=', 1) for a in assignments)
        return run_command(argv[1 + len(assignments):], stdin)
    program, args = argv[0], argv[1:]
    if program in PROGRAMS and (program != 'tee' or any(kernel_path(a) for a in args)):
        return call(program, args, lambda: stdin)
    if program not in REAL_PROGRAMS:
        return Exec(127, '', f'labtool: unexpected: {shlex.join(argv)}\n')
    real = [at(a) if a.startswith('/') else a for a in args]
    if program == 'stat':
        real = [a.replace('%U', '\x01U').replace('%G', '\x01G') if not a.startswith('/') else a for a in real]
    done = subprocess.run([program, *real], input=stdin.encode(), capture_output=True)
    out = done.stdout.decode('utf-8', 'replace')
    if program == 'stat':
        out = owners_into(out, args)
    return Exec(done.returncode, out.replace(ROOT, ''), done.stderr.decode('utf-8', 'replace').replace(ROOT, ''))


def owners_into(out, args):
    """stat's %U and %G from the owners table, one output line for each operand that exists, in order."""
    owners = load('owners') if os.path.isfile(at(f'{STATE}/owners.json')) else {}
    operands = [a for a in args[args.index('--') + 1:] if os.path.exists(at(a))]
    lines = out.splitlines(keepends=True)
    for i, operand in enumerate(operands):
        node = os.path.realpath(at(operand))[len(ROOT):] if '-L' in args else os.path.normpath(operand)
        user, group = owners.get(node, 'root:root').split(':')
        lines[i] = lines[i].replace('\x01U', user).replace('\x01G', group)
    return ''.join(lines)


@contextlib.contextmanager
def locked():
    """One program at a time per host, as the simulator's synchronized HostState: an exclusive flock."""
    require_lab_host()
    with open(at(f'{STATE}/lock'), 'a') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def call(program, args, read_stdin):
    """A stub program under the host's lock; input is read before the lock, as the simulator reads a command's
    input before running it, so that `virsh dumpxml UUID | ... | virsh define ...` on one host does not wait on
    itself."""
    run = PROGRAMS.get(program)
    if program == 'tee' or program == 'virsh' and args[:1] == ['define']:
        run = functools.partial(run, stdin=read_stdin())
    try:
        if run is None:
            raise Unexpected()
        with locked():
            return run(args)
    except Unexpected:
        return Exec(127, '', f'labtool: unexpected: {shlex.join([program, *args])}\n')


def main():
    program, args = os.path.basename(sys.argv[0]), sys.argv[1:]
    if program == 'labtool':
        return labtool(args)
    if program == 'tee' and not any(kernel_path(a) for a in args):
        # Any other file (under /etc and elsewhere) is the host's own: real tee writes it.
        os.execv('/usr/bin/tee', ['tee', *args])
    result = call(program, args, lambda: sys.stdin.buffer.read().decode('utf-8', 'replace'))
    sys.stdout.buffer.write(result.out.encode())
    sys.stderr.buffer.write(result.err.encode())
    return result.code
