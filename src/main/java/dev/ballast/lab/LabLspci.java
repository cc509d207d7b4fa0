package dev.ballast.lab;

/**
 * What {@code lspci -vvv} prints for a lab NVMe controller (a PCIe 4.0 x4 drive, as root sees it), as
 * pciutils 3.8 does: LnkSta marks a speed or width below LnkCap's " (downgraded)" and one that matches
 * with nothing (3.7 printed "(ok)" there), and every slot carries its domain once the host has a device
 * outside domain 0000 (an Intel VMD domain such as 10000).
 */
final class LabLspci {

    private LabLspci() {
    }

    static String render(Hardware.Nvme c, boolean domains) {
        Hardware.Link link = c.link;
        String sta = "Speed " + link.speed() + mark(rate(link.speed()), rate(link.capSpeed())) + ", Width x" + link.width()
                + mark(link.width(), link.capWidth());
        return (domains ? c.address : c.address.substring(5))
                + " Non-Volatile memory controller: Samsung Electronics Co Ltd NVMe SSD Controller"
                + " PM9A1/PM9A3/980PRO (prog-if 02 [NVM Express])\n"
                + "\tSubsystem: Samsung Electronics Co Ltd NVMe SSD Controller PM9A1/PM9A3/980PRO\n"
                + "\tControl: I/O- Mem+ BusMaster+ SpecCycle- MemWINV- VGASnoop- ParErr- Stepping- SERR- FastB2B- DisINTx+\n"
                + "\tStatus: Cap+ 66MHz- UDF- FastB2B- ParErr- DEVSEL=fast >TAbort- <TAbort- <MAbort- >SERR- <PERR- INTx-\n"
                + "\tLatency: 0, Cache Line Size: 64 bytes\n"
                + "\tInterrupt: pin A routed to IRQ 45\n"
                + "\tNUMA node: 0\n"
                + "\tIOMMU group: 14\n"
                + "\tRegion 0: Memory at fb600000 (64-bit, non-prefetchable) [size=16K]\n"
                + "\tCapabilities: [40] Power Management version 3\n"
                + "\t\tFlags: PMEClk- DSI- D1- D2- AuxCurrent=0mA PME(D0-,D1-,D2-,D3hot-,D3cold-)\n"
                + "\t\tStatus: D0 NoSoftRst+ PME-Enable- DSel=0 DScale=0 PME-\n"
                + "\tCapabilities: [70] Express (v2) Endpoint, MSI 00\n"
                + "\t\tDevCap:\tMaxPayload 256 bytes, PhantFunc 0, Latency L0s unlimited, L1 unlimited\n"
                + "\t\t\tExtTag+ AttnBtn- AttnInd- PwrInd- RBE+ FLReset+ SlotPowerLimit 0W\n"
                + "\t\tDevCtl:\tCorrErr+ NonFatalErr+ FatalErr+ UnsupReq+\n"
                + "\t\t\tRlxdOrd+ ExtTag+ PhantFunc- AuxPwr- NoSnoop+ FLReset-\n"
                + "\t\t\tMaxPayload 256 bytes, MaxReadReq 512 bytes\n"
                + "\t\tDevSta:\tCorrErr- NonFatalErr- FatalErr- UnsupReq- AuxPwr- TransPend-\n"
                + "\t\tLnkCap:\tPort #0, Speed " + link.capSpeed() + ", Width x" + link.capWidth() + ", ASPM L1, Exit Latency L1 <64us\n"
                + "\t\t\tClockPM+ Surprise- LLActRep- BwNot- ASPMOptComp+\n"
                + "\t\tLnkCtl:\tASPM Disabled; RCB 64 bytes, Disabled- CommClk+\n"
                + "\t\t\tExtSynch- ClockPM- AutWidDis- BWInt- AutBWInt-\n"
                + "\t\tLnkSta:\t" + sta + "\n"
                + "\t\t\tTrErr- Train- SlotClk+ DLActive- BWMgmt- ABWMgmt-\n"
                + "\t\tLnkCtl2: Target Link Speed: " + link.capSpeed() + ", EnterCompliance- SpeedDis-\n"
                + "\t\tLnkSta2: Current De-emphasis Level: -3.5dB, EqualizationComplete+ EqualizationPhase1+\n"
                + "\tCapabilities: [b0] MSI-X: Enable+ Count=130 Masked-\n"
                + "\t\tVector table: BAR=0 offset=00003000\n"
                + "\t\tPBA: BAR=0 offset=00002000\n"
                + "\tKernel driver in use: nvme\n"
                + "\tKernel modules: nvme\n\n";
    }

    /** What ls-caps.c's link_compare prints for an endpoint. */
    private static String mark(double sta, double cap) {
        return sta < cap ? " (downgraded)" : sta > cap ? " (overdriven)" : "";
    }

    private static double rate(String speed) {
        return Double.parseDouble(speed.substring(0, speed.indexOf("GT/s")));
    }
}
