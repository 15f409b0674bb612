/*
 * hvp-acpi.efi: test-bed-only ACPI tables for OVMF under Bochs 2.7.
 *
 * OVMF takes its ACPI tables from QEMU's fw_cfg, which Bochs lacks, so under
 * Bochs Linux finds no tables: it sees one CPU and `poweroff` only halts.
 * This program builds the least Linux needs and installs it as the ACPI
 * 2.0 configuration table:
 *
 *   RSDP -> XSDT -> FADT -> FACS, DSDT (only \_S5)
 *               \-> MADT (one local APIC per CPU from EFI_MP_SERVICES, the
 *                         IOAPIC, ISA overrides for the PIT and the SCI)
 *
 * Then it chain-loads the next program from its own volume, by default
 * \EFI\hvpatch\hvpatch.efi.  The optional file \EFI\BOOT\testbed-chain.txt
 * overrides that: line 1 is the path, line 2 the load options (so the test
 * bed can boot a Linux EFI stub directly, to check the bed itself).
 *
 * This is not product code: real firmware (and QEMU) has ACPI; when an
 * ACPI table with a MADT is already installed, the program only chains.
 * Output lines start with "HVP-ACPI:" for the runners' logs.
 */
#include <efi.h>
#include <efilib.h>

/* ---- ACPI structures (ACPI 6.x, only the parts used) ------------------- */

#pragma pack(1)
struct acpi_header {
	char sig[4];
	UINT32 length;
	UINT8 revision;
	UINT8 checksum;
	char oem_id[6];
	char oem_table_id[8];
	UINT32 oem_revision;
	UINT32 creator_id;
	UINT32 creator_revision;
};

struct rsdp {
	char sig[8];
	UINT8 checksum;		/* over the first 20 bytes */
	char oem_id[6];
	UINT8 revision;		/* 2: ACPI 2.0+, has the XSDT */
	UINT32 rsdt;
	UINT32 length;
	UINT64 xsdt;
	UINT8 ext_checksum;	/* over all 36 bytes */
	UINT8 reserved[3];
};

struct gas {			/* Generic Address Structure */
	UINT8 space, bit_width, bit_offset, access_size;
	UINT64 address;
};

/* FADT up to X_GPE1_BLK: ACPI 2.0-4.0 layout, 244 bytes. */
struct fadt {
	struct acpi_header h;
	UINT32 firmware_ctrl, dsdt;
	UINT8 reserved0, preferred_pm_profile;
	UINT16 sci_int;
	UINT32 smi_cmd;
	UINT8 acpi_enable, acpi_disable, s4bios_req, pstate_cnt;
	UINT32 pm1a_evt_blk, pm1b_evt_blk, pm1a_cnt_blk, pm1b_cnt_blk;
	UINT32 pm2_cnt_blk, pm_tmr_blk, gpe0_blk, gpe1_blk;
	UINT8 pm1_evt_len, pm1_cnt_len, pm2_cnt_len, pm_tmr_len;
	UINT8 gpe0_blk_len, gpe1_blk_len, gpe1_base, cst_cnt;
	UINT16 p_lvl2_lat, p_lvl3_lat, flush_size, flush_stride;
	UINT8 duty_offset, duty_width, day_alrm, mon_alrm, century;
	UINT16 iapc_boot_arch;
	UINT8 reserved1;
	UINT32 flags;
	struct gas reset_reg;
	UINT8 reset_value;
	UINT8 reserved2[3];
	UINT64 x_firmware_ctrl, x_dsdt;
	struct gas x_pm1a_evt_blk, x_pm1b_evt_blk, x_pm1a_cnt_blk, x_pm1b_cnt_blk;
	struct gas x_pm2_cnt_blk, x_pm_tmr_blk, x_gpe0_blk, x_gpe1_blk;
};

struct facs {
	char sig[4];
	UINT32 length;
	UINT32 hw_signature;
	UINT32 waking_vector;
	UINT32 global_lock;
	UINT32 flags;
	UINT64 x_waking_vector;
	UINT8 version;
	UINT8 reserved[31];
};

struct madt {
	struct acpi_header h;
	UINT32 lapic_addr;
	UINT32 flags;		/* bit 0: PC-AT compatible dual 8259 */
};

struct madt_lapic {		/* type 0 */
	UINT8 type, length, uid, apic_id;
	UINT32 flags;		/* bit 0: enabled */
};

struct madt_ioapic {		/* type 1 */
	UINT8 type, length, id, reserved;
	UINT32 address, gsi_base;
};

struct madt_iso {		/* type 2: interrupt source override */
	UINT8 type, length, bus, source;
	UINT32 gsi;
	UINT16 flags;
};
#pragma pack()

/* ---- DSDT: hand-assembled AML, only the S5 sleep package ---------------
 *
 * ASL equivalent:
 *     DefinitionBlock ("", "DSDT", 2, "HVPTST", "HVPDSDT", 1) {
 *         Name (_S5, Package (4) { 0, 0, 0, 0 })
 *     }
 * SLP_TYP 0 is what the PIIX4 PM device (Bochs's and QEMU's acpi.cc:
 * "case 0: soft power off") powers off on.  The 36-byte header is filled
 * in at run time; this is the AML body that follows it.
 */
static const UINT8 dsdt_aml[] = {
	0x08,			/* NameOp */
	'_', 'S', '5', '_',	/* NameSeg "_S5_" */
	0x12,			/* PackageOp */
	0x06,			/* PkgLength: 1 (this byte) + 1 + 4 elements */
	0x04,			/* NumElements */
	0x00, 0x00, 0x00, 0x00,	/* ZeroOp x4: SLP_TYPa, SLP_TYPb, reserved */
};

/* ---- EFI_MP_SERVICES_PROTOCOL (PI spec; gnu-efi has no header) --------- */

#define MP_SERVICES_GUID \
	{ 0x3fdda605, 0xa76e, 0x4f46, { 0xad, 0x29, 0x12, 0xf4, 0x53, 0x1b, 0x3d, 0x08 } }

typedef struct {
	UINT64 processor_id;	/* the APIC ID */
	UINT32 status_flag;	/* bit 1: enabled */
	UINT32 package, core, thread;
} MP_PROCESSOR_INFO;

struct mp_services;
typedef EFI_STATUS (EFIAPI *mp_get_count)(struct mp_services *, UINTN *, UINTN *);
typedef EFI_STATUS (EFIAPI *mp_get_info)(struct mp_services *, UINTN, MP_PROCESSOR_INFO *);
struct mp_services {
	mp_get_count get_number_of_processors;
	mp_get_info get_processor_info;
	/* StartupAllAPs and the rest are not used. */
};

/* ---- Hardware access ----------------------------------------------------- */

static inline void outl(UINT16 port, UINT32 v) { __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port)); }
static inline UINT32 inl(UINT16 port) { UINT32 v; __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline void outb(UINT16 port, UINT8 v) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }

/* PCI configuration mechanism 1: the i440fx/PIIX4 that Bochs emulates. */
static UINT32 pci_read32(UINT8 bus, UINT8 dev, UINT8 fn, UINT8 reg)
{
	outl(0xcf8, 0x80000000u | bus << 16 | dev << 11 | fn << 8 | (reg & 0xfc));
	return inl(0xcfc);
}

static void pci_write32(UINT8 bus, UINT8 dev, UINT8 fn, UINT8 reg, UINT32 v)
{
	outl(0xcf8, 0x80000000u | bus << 16 | dev << 11 | fn << 8 | (reg & 0xfc));
	outl(0xcfc, v);
}

#define PIIX4_PM_DEV 1
#define PIIX4_PM_FN 3
#define PIIX4_PM_ID 0x71138086u	/* device 7113, vendor 8086 */
#define PIIX4_PMBA 0x40
#define PIIX4_PMREGMISC 0x80
#define DEFAULT_PM_BASE 0xb000	/* what OVMF programs on i440fx */

/* Returns the PIIX4 PM I/O base, programming and enabling it when the
 * firmware has not; 0 when there is no PIIX4 PM function. */
static UINT16 piix4_pm_base(void)
{
	if (pci_read32(0, PIIX4_PM_DEV, PIIX4_PM_FN, 0) != PIIX4_PM_ID)
		return 0;
	UINT32 pmba = pci_read32(0, PIIX4_PM_DEV, PIIX4_PM_FN, PIIX4_PMBA);
	UINT16 base = pmba & 0xffc0;
	if (base == 0) {
		base = DEFAULT_PM_BASE;
		pci_write32(0, PIIX4_PM_DEV, PIIX4_PM_FN, PIIX4_PMBA, base | 1);
	}
	UINT32 misc = pci_read32(0, PIIX4_PM_DEV, PIIX4_PM_FN, PIIX4_PMREGMISC);
	if (!(misc & 1))	/* PMIOSE: PM I/O space enable */
		pci_write32(0, PIIX4_PM_DEV, PIIX4_PM_FN, PIIX4_PMREGMISC, misc | 1);
	return base;
}

#define IOAPIC_BASE 0xfec00000u
#define LAPIC_BASE 0xfee00000u

static UINT8 ioapic_id(void)
{
	volatile UINT32 *sel = (volatile UINT32 *)(UINTN)IOAPIC_BASE;
	volatile UINT32 *win = (volatile UINT32 *)(UINTN)(IOAPIC_BASE + 0x10);
	*sel = 0;		/* IOAPICID register */
	return (*win >> 24) & 0x0f;
}

/* ---- Table helpers -------------------------------------------------------- */

static UINT8 checksum(const void *p, UINTN n)
{
	const UINT8 *b = p;
	UINT8 s = 0;
	while (n--)
		s += *b++;
	return (UINT8)-s;
}

static void header(struct acpi_header *h, const char *sig, UINT32 len, UINT8 rev)
{
	CopyMem(h->sig, (VOID *)sig, 4);
	h->length = len;
	h->revision = rev;
	CopyMem(h->oem_id, "HVPTST", 6);
	CopyMem(h->oem_table_id, "HVPTBED ", 8);
	h->oem_revision = 1;
	CopyMem(&h->creator_id, "HVPT", 4);
	h->creator_revision = 1;
}

static void seal(struct acpi_header *h)
{
	h->checksum = 0;
	h->checksum = checksum(h, h->length);
}

static struct gas io_gas(UINT16 port, UINT8 bytes)
{
	struct gas g = { .space = 1, .bit_width = (UINT8)(bytes * 8),
			 .access_size = bytes == 4 ? 3 : bytes == 2 ? 2 : 1,
			 .address = port };
	return g;
}

static EFI_GUID acpi20_guid = ACPI_20_TABLE_GUID;
static EFI_GUID acpi10_guid = ACPI_TABLE_GUID;

/* True when an installed ACPI table already lists a MADT (QEMU, real
 * firmware): then this program must not replace it. */
static BOOLEAN have_acpi_madt(void)
{
	for (UINTN i = 0; i < ST->NumberOfTableEntries; i++) {
		EFI_CONFIGURATION_TABLE *t = &ST->ConfigurationTable[i];
		if (CompareGuid(&t->VendorGuid, &acpi20_guid) != 0)
			continue;
		struct rsdp *r = t->VendorTable;
		if (r->revision < 2 || r->xsdt == 0)
			continue;
		struct acpi_header *x = (struct acpi_header *)(UINTN)r->xsdt;
		UINT64 *e = (UINT64 *)(x + 1);
		UINTN n = (x->length - sizeof *x) / 8;
		for (UINTN j = 0; j < n; j++) {
			UINT64 addr;
			CopyMem(&addr, &e[j], 8);	/* entries are unaligned */
			if (CompareMem((VOID *)(UINTN)addr, "APIC", 4) == 0)
				return TRUE;
		}
	}
	return FALSE;
}

#define MAX_CPUS 64

/* Fills apic_ids from EFI_MP_SERVICES; falls back to the BSP alone. */
static UINTN enabled_cpus(UINT8 *apic_ids)
{
	EFI_GUID guid = MP_SERVICES_GUID;
	struct mp_services *mp = NULL;
	UINTN total = 0, enabled = 0, n = 0;

	if (uefi_call_wrapper(BS->LocateProtocol, 3, &guid, NULL, (VOID **)&mp) != EFI_SUCCESS ||
	    uefi_call_wrapper(mp->get_number_of_processors, 3, mp, &total, &enabled) != EFI_SUCCESS) {
		Print(L"HVP-ACPI: no EFI_MP_SERVICES, listing the boot CPU only\n");
		volatile UINT32 *lapic_id = (volatile UINT32 *)(UINTN)(LAPIC_BASE + 0x20);
		apic_ids[0] = (UINT8)(*lapic_id >> 24);
		return 1;
	}
	for (UINTN i = 0; i < total && n < MAX_CPUS; i++) {
		MP_PROCESSOR_INFO info;
		if (uefi_call_wrapper(mp->get_processor_info, 3, mp, i, &info) != EFI_SUCCESS)
			continue;
		if (info.status_flag & 2)	/* PROCESSOR_ENABLED_BIT */
			apic_ids[n++] = (UINT8)info.processor_id;
	}
	return n;
}

/* Layout of the one allocation (ACPI reclaim memory, below 4 GiB so that
 * the 32-bit pointers in the RSDP and FADT can reach it). */
#define OFF_FACS 0x000		/* 64-byte aligned, as the spec requires */
#define OFF_RSDP 0x040
#define OFF_XSDT 0x080
#define OFF_RSDT 0x0c0
#define OFF_FADT 0x100
#define OFF_DSDT 0x200
#define OFF_MADT 0x300
#define TABLE_PAGES 2

static EFI_STATUS install_tables(void)
{
	UINT8 apic_ids[MAX_CPUS];
	UINTN ncpu = enabled_cpus(apic_ids);
	UINT16 pm = piix4_pm_base();
	UINT8 ioapic = ioapic_id();
	EFI_PHYSICAL_ADDRESS mem = 0xffffffff;
	EFI_STATUS st;

	if (pm == 0) {
		Print(L"HVP-ACPI: no PIIX4 PM device; not an i440fx machine\n");
		return EFI_UNSUPPORTED;
	}
	st = uefi_call_wrapper(BS->AllocatePages, 4, AllocateMaxAddress,
			       EfiACPIReclaimMemory, TABLE_PAGES, &mem);
	if (EFI_ERROR(st))
		return st;
	UINT8 *base = (UINT8 *)(UINTN)mem;
	ZeroMem(base, TABLE_PAGES * 4096);

	struct facs *facs = (struct facs *)(base + OFF_FACS);
	CopyMem(facs->sig, "FACS", 4);
	facs->length = sizeof *facs;
	facs->version = 2;

	struct acpi_header *dsdt = (struct acpi_header *)(base + OFF_DSDT);
	header(dsdt, "DSDT", sizeof *dsdt + sizeof dsdt_aml, 2);
	CopyMem(dsdt + 1, (VOID *)dsdt_aml, sizeof dsdt_aml);
	seal(dsdt);

	struct fadt *f = (struct fadt *)(base + OFF_FADT);
	header(&f->h, "FACP", sizeof *f, 4);
	f->firmware_ctrl = (UINT32)(UINTN)facs;
	f->dsdt = (UINT32)(UINTN)dsdt;
	f->x_firmware_ctrl = (UINTN)facs;
	f->x_dsdt = (UINTN)dsdt;
	f->sci_int = 9;		/* PIIX4 routes the SCI to ISA IRQ 9 */
	/* smi_cmd = 0: no SMI handshake; ACPICA then treats the machine as
	 * always in ACPI mode, so it needs no SMM in the firmware. */
	f->pm1a_evt_blk = pm;
	f->pm1a_cnt_blk = pm + 4;
	f->pm_tmr_blk = pm + 8;
	f->pm1_evt_len = 4;
	f->pm1_cnt_len = 2;
	f->pm_tmr_len = 4;
	f->x_pm1a_evt_blk = io_gas(pm, 4);
	f->x_pm1a_cnt_blk = io_gas(pm + 4, 2);
	f->x_pm_tmr_blk = io_gas(pm + 8, 4);
	f->p_lvl2_lat = 101;	/* > 100: C2 not supported */
	f->p_lvl3_lat = 1001;	/* > 1000: C3 not supported */
	f->iapc_boot_arch = 1 << 0 | 1 << 1;	/* legacy devices, 8042 */
	/* WBINVD, PROC_C1, PWR_BUTTON and SLP_BUTTON as control methods
	 * (there are none: no button events), RESET_REG_SUP. */
	f->flags = 1 << 0 | 1 << 2 | 1 << 4 | 1 << 5 | 1 << 10;
	f->reset_reg = io_gas(0xcf9, 1);	/* PIIX3/4 reset control */
	f->reset_value = 0x06;
	seal(&f->h);

	struct madt *m = (struct madt *)(base + OFF_MADT);
	UINT8 *p = (UINT8 *)(m + 1);
	m->lapic_addr = LAPIC_BASE;
	m->flags = 1;
	for (UINTN i = 0; i < ncpu; i++) {
		struct madt_lapic *l = (struct madt_lapic *)p;
		l->type = 0;
		l->length = sizeof *l;
		l->uid = (UINT8)i;
		l->apic_id = apic_ids[i];
		l->flags = 1;
		p += sizeof *l;
	}
	struct madt_ioapic *io = (struct madt_ioapic *)p;
	io->type = 1;
	io->length = sizeof *io;
	io->id = ioapic;
	io->address = IOAPIC_BASE;
	p += sizeof *io;
	/* ISA IRQ 0 (PIT) arrives on IOAPIC pin 2; IRQ 9 (SCI) is level
	 * triggered, active high (flags: polarity 01, trigger 11). */
	static const struct { UINT8 src; UINT32 gsi; UINT16 flags; } iso[] = {
		{ 0, 2, 0x0000 }, { 9, 9, 0x000d },
	};
	for (UINTN i = 0; i < sizeof iso / sizeof iso[0]; i++) {
		struct madt_iso *o = (struct madt_iso *)p;
		o->type = 2;
		o->length = sizeof *o;
		o->source = iso[i].src;
		o->gsi = iso[i].gsi;
		o->flags = iso[i].flags;
		p += sizeof *o;
	}
	header(&m->h, "APIC", (UINT32)(p - (UINT8 *)m), 3);
	seal(&m->h);

	UINT32 tables[2] = { (UINT32)(UINTN)f, (UINT32)(UINTN)m };
	struct acpi_header *xsdt = (struct acpi_header *)(base + OFF_XSDT);
	header(xsdt, "XSDT", sizeof *xsdt + 2 * 8, 1);
	for (int i = 0; i < 2; i++) {
		UINT64 a = tables[i];
		CopyMem((UINT8 *)(xsdt + 1) + 8 * i, &a, 8);
	}
	seal(xsdt);
	struct acpi_header *rsdt = (struct acpi_header *)(base + OFF_RSDT);
	header(rsdt, "RSDT", sizeof *rsdt + 2 * 4, 1);
	CopyMem(rsdt + 1, tables, sizeof tables);
	seal(rsdt);

	struct rsdp *r = (struct rsdp *)(base + OFF_RSDP);
	CopyMem(r->sig, "RSD PTR ", 8);
	CopyMem(r->oem_id, "HVPTST", 6);
	r->revision = 2;
	r->rsdt = (UINT32)(UINTN)rsdt;
	r->length = sizeof *r;
	r->xsdt = (UINTN)xsdt;
	r->checksum = checksum(r, 20);
	r->ext_checksum = checksum(r, sizeof *r);

	st = uefi_call_wrapper(BS->InstallConfigurationTable, 2, &acpi20_guid, r);
	if (!EFI_ERROR(st))
		st = uefi_call_wrapper(BS->InstallConfigurationTable, 2, &acpi10_guid, r);
	if (EFI_ERROR(st))
		return st;
	Print(L"HVP-ACPI: installed RSDP at 0x%lx: %d CPUs (APIC IDs", (UINT64)(UINTN)r, (int)ncpu);
	for (UINTN i = 0; i < ncpu; i++)
		Print(L" %d", apic_ids[i]);
	Print(L"), IOAPIC id %d, PM base 0x%x\n", ioapic, pm);
	return EFI_SUCCESS;
}

/* ---- Chain loading ---------------------------------------------------------- */

#define DEFAULT_NEXT L"\\EFI\\hvpatch\\hvpatch.efi"
#define CHAIN_FILE L"\\EFI\\BOOT\\testbed-chain.txt"

/* Reads the optional chain file: ASCII, line 1 path, line 2 options.
 * Returns FALSE when it is absent. */
static BOOLEAN read_chain_file(EFI_FILE_HANDLE root, CHAR16 *path, CHAR16 *opts, UINTN max)
{
	EFI_FILE_HANDLE fh;
	CHAR8 buf[1024];
	UINTN n = sizeof buf - 1;

	if (uefi_call_wrapper(root->Open, 5, root, &fh, CHAIN_FILE, EFI_FILE_MODE_READ, 0) != EFI_SUCCESS)
		return FALSE;
	EFI_STATUS st = uefi_call_wrapper(fh->Read, 3, fh, &n, buf);
	uefi_call_wrapper(fh->Close, 1, fh);
	if (EFI_ERROR(st))
		return FALSE;
	buf[n] = 0;
	CHAR16 *dst = path;
	UINTN len = 0, line = 0;
	for (UINTN i = 0; i <= n && line < 2; i++) {
		CHAR8 c = buf[i];
		if (c == '\r')
			continue;
		if (c == '\n' || c == 0) {
			dst[len] = 0;
			dst = opts;
			len = 0;
			line++;
			continue;
		}
		if (len + 1 < max)
			dst[len++] = c;
	}
	if (line < 2)
		opts[0] = 0;
	return path[0] != 0;
}

static EFI_STATUS chain(EFI_HANDLE image)
{
	EFI_LOADED_IMAGE *self;
	EFI_STATUS st;
	static CHAR16 path[256], opts[768];

	st = uefi_call_wrapper(BS->HandleProtocol, 3, image, &LoadedImageProtocol, (VOID **)&self);
	if (EFI_ERROR(st))
		return st;
	EFI_FILE_HANDLE root = LibOpenRoot(self->DeviceHandle);
	if (!root || !read_chain_file(root, path, opts, 256)) {
		StrCpy(path, DEFAULT_NEXT);
		opts[0] = 0;
	}
	if (root)
		uefi_call_wrapper(root->Close, 1, root);

	EFI_DEVICE_PATH *dp = FileDevicePath(self->DeviceHandle, path);
	EFI_HANDLE child;
	Print(L"HVP-ACPI: starting %s %s\n", path, opts);
	st = uefi_call_wrapper(BS->LoadImage, 6, FALSE, image, dp, NULL, 0, &child);
	if (EFI_ERROR(st)) {
		Print(L"HVP-ACPI: cannot load %s: %r\n", path, st);
		return st;
	}
	if (opts[0]) {
		EFI_LOADED_IMAGE *li;
		uefi_call_wrapper(BS->HandleProtocol, 3, child, &LoadedImageProtocol, (VOID **)&li);
		li->LoadOptions = opts;
		li->LoadOptionsSize = (UINT32)((StrLen(opts) + 1) * sizeof(CHAR16));
	}
	st = uefi_call_wrapper(BS->StartImage, 3, child, NULL, NULL);
	Print(L"HVP-ACPI: %s returned %r\n", path, st);
	return st;
}

/* gnu-efi's crt0 calls efi_main with the System V ABI: no EFIAPI here. */
EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	InitializeLib(image, systab);
	Print(L"HVP-ACPI: test-bed ACPI tables (not product code)\n");
	if (have_acpi_madt()) {
		Print(L"HVP-ACPI: firmware already has ACPI tables with a MADT; leaving them\n");
	} else {
		EFI_STATUS st = install_tables();
		if (EFI_ERROR(st))
			Print(L"HVP-ACPI: no tables installed: %r\n", st);
	}
	EFI_STATUS st = chain(image);
	/* Only reached when the next stage returns or fails to load: end a
	 * Bochs run at once instead of waiting for its timeout. */
	Print(L"HVP-ACPI: next stage ended (%r); shutting the emulator down\n", st);
	for (const char *s = "Shutdown"; *s; s++)
		outb(0x8900, (UINT8)*s);
	return st;
}
