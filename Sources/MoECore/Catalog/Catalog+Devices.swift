/// The built-in accelerators. Figures come from `Docs/Calibration.md` (section "Devices"), which
/// cites the vendor data sheets and the papers; [U] marks a figure whose source is uncertain.
extension Catalog {
    private static func hopper(
        key: String, name: String, memory: Bytes, memoryBandwidth: Bandwidth, scaleUp: Bandwidth,
        price: Double, source: String
    ) -> DeviceSpec {
        DeviceSpec(
            key: key, name: name,
            peakCompute: [.bf16: .tera(989), .fp16: .tera(989), .fp8: .tera(1979), .int8: .tera(1979)],
            memory: memory, memoryBandwidth: memoryBandwidth, scaleUpBandwidth: scaleUp,
            scaleUpLatency: .microseconds(2), scaleOutBandwidth: .gigabitsPerSecond(400),
            scaleOutLatency: .microseconds(3), hostLinkBandwidth: .gigabytesPerSecond(63), powerWatts: 700,
            pricePerHour: Dollars(price), source: source)
    }

    /// NVIDIA H800 SXM5: H100 compute with NVLink cut to 400 GB/s bidirectional (200 per direction).
    public static let h800 = hopper(
        key: "h800", name: "NVIDIA H800 SXM5", memory: .gigabytes(80), memoryBandwidth: .terabytesPerSecond(3.35),
        scaleUp: .gigabytesPerSecond(200), price: 2.00,
        source: "NVIDIA data sheet; $2/GPU-h is DeepSeek-V3 report's rental assumption")

    /// NVIDIA H100 SXM5.
    public static let h100 = hopper(
        key: "h100", name: "NVIDIA H100 SXM5", memory: .gigabytes(80), memoryBandwidth: .terabytesPerSecond(3.35),
        scaleUp: .gigabytesPerSecond(450), price: 2.50,
        source: "NVIDIA data sheet; price: low end of the 2026 market range $1.99-5.00/GPU-h [S]")

    /// NVIDIA H200 SXM.
    public static let h200 = hopper(
        key: "h200", name: "NVIDIA H200 SXM", memory: .gigabytes(141), memoryBandwidth: .terabytesPerSecond(4.8),
        scaleUp: .gigabytesPerSecond(450), price: 3.50,
        source: "NVIDIA data sheet; price: low end of the market range $2.50-7.00/GPU-h [S]")

    /// NVIDIA H20: export-compliant Hopper with an eighth of H100's compute but more memory bandwidth.
    /// Its node has four 400 Gb/s NICs for eight GPUs, so each GPU gets half a NIC.
    public static let h20 = DeviceSpec(
        key: "h20", name: "NVIDIA H20",
        peakCompute: [.bf16: .tera(148), .fp16: .tera(148), .fp8: .tera(296), .int8: .tera(296)],
        memory: .gigabytes(96), memoryBandwidth: .terabytesPerSecond(4.0), scaleUpBandwidth: .gigabytesPerSecond(450),
        scaleUpLatency: .microseconds(2), scaleOutBandwidth: .gigabitsPerSecond(200), scaleOutLatency: .microseconds(3),
        hostLinkBandwidth: .gigabytesPerSecond(63), powerWatts: 400, pricePerHour: Dollars(1.00),
        source: "lmsys blog 2025-09-26 H20 table; INT8, power and price [U] (no rental anchor found: $1.00 assumed)")

    private static func ascend910B(
        key: String, name: String, fp16: Double, memory: Bytes, bandwidth: Bandwidth, power: Double
    ) -> DeviceSpec {
        DeviceSpec(
            key: key, name: name,
            peakCompute: [.fp16: .tera(fp16), .bf16: .tera(fp16 * 353.9 / 376), .int8: .tera(fp16 * 2)],
            memory: memory, memoryBandwidth: bandwidth, scaleUpBandwidth: .gigabytesPerSecond(196),
            scaleUpLatency: .microseconds(0.5), scaleOutBandwidth: .gigabytesPerSecond(25),
            scaleOutLatency: .microseconds(1.5), hostLinkBandwidth: .gigabytesPerSecond(31.5), powerWatts: power,
            pricePerHour: Dollars(1.40),
            source: "Huawei Atlas 800T A2 data; 313T/280T variants and power [U]; price [U]: assumed $1.40/NPU-h")
    }

    /// Ascend 910B "376T" (24 AI cores), the Atlas 800T A2 part.
    public static let ascend910B = ascend910B(
        key: "ascend-910b", name: "Huawei Ascend 910B (376T)", fp16: 376, memory: .gibibytes(64),
        bandwidth: Bandwidth(bytesPerSecond: 1.6 * 1_099_511_627_776), power: 400)
    /// Ascend 910B "313T".
    public static let ascend910B313T = ascend910B(
        key: "ascend-910b-313t", name: "Huawei Ascend 910B (313T)", fp16: 313, memory: .gibibytes(64),
        bandwidth: Bandwidth(bytesPerSecond: 1.6 * 1_099_511_627_776), power: 350)
    /// Ascend 910B "280T" (32 GB, 0.8 TB/s).
    public static let ascend910B280T = ascend910B(
        key: "ascend-910b-280t", name: "Huawei Ascend 910B (280T)", fp16: 280, memory: .gigabytes(32),
        bandwidth: .terabytesPerSecond(0.8), power: 310)

    /// Ascend 910C: two 910B-class dies in one package, the CloudMatrix384 part.
    public static let ascend910C = DeviceSpec(
        key: "ascend-910c", name: "Huawei Ascend 910C",
        peakCompute: [.fp16: .tera(752), .bf16: .tera(707.8), .int8: .tera(1504)],
        memory: .gigabytes(128), memoryBandwidth: .terabytesPerSecond(3.2), scaleUpBandwidth: .gigabytesPerSecond(392),
        scaleUpLatency: .microseconds(1), scaleOutBandwidth: .gigabitsPerSecond(400), scaleOutLatency: .microseconds(3),
        hostLinkBandwidth: .gigabytesPerSecond(31.5), powerWatts: 750, pricePerHour: Dollars(1.20),
        source:
            "CloudMatrix384 paper (arXiv 2506.12708) [S]; INT8 [D]; power [U]; price [D]: ~$8.2M per 384 NPUs over 3 years plus power"
    )

    /// Every built-in device.
    public static let builtinDevices: [DeviceSpec] = [
        h800, h100, h200, h20, ascend910B, ascend910B313T, ascend910B280T, ascend910C,
    ]
}
