import Foundation
import GatewayCore

/// What the dynamic loader sees of an ELF file: its class, byte order, type and machine, and the
/// shared libraries it needs (`DT_NEEDED`).
///
/// The needed libraries are read the way the loader reads them: the `PT_DYNAMIC` segment gives the
/// dynamic table, whose `DT_STRTAB` address is mapped to a file offset through the `PT_LOAD`
/// segments. Section headers are not used, so a stripped binary reads the same. Every offset, size
/// and count is checked against the file before it is used: truncated, garbage or hostile input
/// throws ``ELFFormatError`` and never traps.
public struct ELFFile: Sendable, Equatable {
    /// `ELFCLASS32` or `ELFCLASS64`.
    public enum Class: Sendable, Equatable {
        /// 32-bit objects.
        case elf32
        /// 64-bit objects.
        case elf64
    }

    /// `e_type`: what kind of object the file is.
    public enum ObjectType: Sendable, Equatable {
        /// `ET_REL`: an object file, not runnable.
        case relocatable
        /// `ET_EXEC`: a fixed-address executable.
        case executable
        /// `ET_DYN`: a position-independent executable or a shared library.
        case sharedObject
        /// `ET_CORE`: a core dump.
        case core
        /// Any other value.
        case other(UInt16)
    }

    /// `EM_X86_64`.
    public static let machineX86_64: UInt16 = 62
    /// `EM_AARCH64`.
    public static let machineAArch64: UInt16 = 183

    /// The file's class.
    public var elfClass: Class
    /// Whether the file is little-endian (`ELFDATA2LSB`).
    public var isLittleEndian: Bool
    /// The file's type.
    public var type: ObjectType
    /// `e_machine`, the raw machine number.
    public var machine: UInt16
    /// Whether the file has an interpreter (`PT_INTERP`), i.e. is started by the dynamic loader.
    public var hasInterpreter: Bool
    /// The `DT_NEEDED` entries, in file order; empty for a static executable.
    public var neededLibraries: [String]

    /// The CPU architecture of `machine` as EC2 names it, when it is one EC2 runs.
    public var architecture: InstanceStorageCatalog.Architecture? {
        switch machine {
        case Self.machineX86_64: .x86_64
        case Self.machineAArch64: .arm64
        default: nil
        }
    }

    /// Reads the ELF file at `path` (memory-mapped; only the headers, the dynamic table and its
    /// strings are touched).
    ///
    /// - Parameter path: The file to read.
    /// - Throws: ``ELFFormatError`` when the file cannot be read or is not a well-formed ELF file.
    public init(contentsOf path: String) throws(ELFFormatError) {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw ELFFormatError("\(path) cannot be read: \(error.localizedDescription)")
        }
        try self.init(data)
    }

    /// Reads an ELF file from its bytes.
    ///
    /// - Parameter bytes: The whole file.
    /// - Throws: ``ELFFormatError`` when the bytes are not a well-formed ELF file.
    public init(_ bytes: Data) throws(ELFFormatError) {
        var reader = ByteReader(bytes: bytes)
        guard bytes.count >= 16, try reader.bytes(at: 0, count: 4) == [0x7F, 0x45, 0x4C, 0x46] else {
            throw ELFFormatError("not an ELF file (no \\x7fELF magic)")
        }
        switch try reader.u8(at: 4) {
        case 1: elfClass = .elf32
        case 2: elfClass = .elf64
        case let value: throw ELFFormatError("unknown ELF class \(value) (expected 1 or 2)")
        }
        switch try reader.u8(at: 5) {
        case 1: isLittleEndian = true
        case 2: isLittleEndian = false
        case let value: throw ELFFormatError("unknown ELF byte order \(value) (expected 1 or 2)")
        }
        reader.littleEndian = isLittleEndian
        let wide = elfClass == .elf64
        let headerSize = wide ? 64 : 52
        guard bytes.count >= headerSize else { throw ELFFormatError("truncated ELF header (\(bytes.count) of \(headerSize) bytes)") }
        switch try reader.u16(at: 16) {
        case 1: type = .relocatable
        case 2: type = .executable
        case 3: type = .sharedObject
        case 4: type = .core
        case let value: type = .other(value)
        }
        machine = try reader.u16(at: 18)

        let programHeaderOffset = wide ? try reader.u64(at: 32) : UInt64(try reader.u32(at: 28))
        let entrySize = Int(try reader.u16(at: wide ? 54 : 42))
        let count = Int(try reader.u16(at: wide ? 56 : 44))
        let minimumEntrySize = wide ? 56 : 32
        var segments: [Segment] = []
        if count > 0 {
            guard entrySize >= minimumEntrySize else {
                throw ELFFormatError("program header entries of \(entrySize) bytes are too small (at least \(minimumEntrySize))")
            }
            let table = try reader.range(offset: programHeaderOffset, count: UInt64(entrySize * count), what: "program header table")
            for index in 0..<count {
                let base = table.lowerBound + index * entrySize
                segments.append(try Segment(reader: reader, at: base, wide: wide))
            }
        }
        hasInterpreter = segments.contains { $0.type == Segment.interpreter }
        neededLibraries = try Self.neededLibraries(segments: segments, reader: reader, wide: wide)
    }

    /// A program header: the fields the loader uses to find the dynamic table and its strings.
    private struct Segment {
        static let load: UInt32 = 1
        static let dynamic: UInt32 = 2
        static let interpreter: UInt32 = 3

        var type: UInt32
        var offset: UInt64
        var virtualAddress: UInt64
        var fileSize: UInt64

        init(reader: ByteReader, at base: Int, wide: Bool) throws(ELFFormatError) {
            type = try reader.u32(at: base)
            if wide {
                offset = try reader.u64(at: base + 8)
                virtualAddress = try reader.u64(at: base + 16)
                fileSize = try reader.u64(at: base + 32)
            } else {
                offset = UInt64(try reader.u32(at: base + 4))
                virtualAddress = UInt64(try reader.u32(at: base + 8))
                fileSize = UInt64(try reader.u32(at: base + 16))
            }
        }

        /// The file offset of `address` when this loadable segment holds it in the file.
        func fileOffset(of address: UInt64) -> UInt64? {
            guard type == Self.load, address >= virtualAddress, address - virtualAddress < fileSize else { return nil }
            let (result, overflow) = offset.addingReportingOverflow(address - virtualAddress)
            return overflow ? nil : result
        }
    }

    private static func neededLibraries(segments: [Segment], reader: ByteReader, wide: Bool) throws(ELFFormatError) -> [String] {
        let dynamicSegments = segments.filter { $0.type == Segment.dynamic }
        guard let dynamic = dynamicSegments.first else { return [] }
        guard dynamicSegments.count == 1 else { throw ELFFormatError("more than one PT_DYNAMIC segment") }
        let table = try reader.range(offset: dynamic.offset, count: dynamic.fileSize, what: "dynamic table")
        let entrySize = wide ? 16 : 8
        var needed: [UInt64] = []
        var stringTableAddress: UInt64?
        var stringTableSize: UInt64?
        var position = table.lowerBound
        while position + entrySize <= table.upperBound {
            let tag = wide ? try reader.u64(at: position) : UInt64(try reader.u32(at: position))
            let value = wide ? try reader.u64(at: position + 8) : UInt64(try reader.u32(at: position + 4))
            position += entrySize
            switch tag {
            case 0: position = table.upperBound  // DT_NULL ends the table
            case 1: needed.append(value)  // DT_NEEDED
            case 5: stringTableAddress = value  // DT_STRTAB
            case 10: stringTableSize = value  // DT_STRSZ
            default: break
            }
        }
        guard !needed.isEmpty else { return [] }
        guard let stringTableAddress, let stringTableSize else {
            throw ELFFormatError("the dynamic table has DT_NEEDED entries but no DT_STRTAB or DT_STRSZ")
        }
        guard let stringTableOffset = segments.lazy.compactMap({ $0.fileOffset(of: stringTableAddress) }).first else {
            throw ELFFormatError("the dynamic string table's address 0x\(String(stringTableAddress, radix: 16)) is in no loadable segment")
        }
        let strings = try reader.range(offset: stringTableOffset, count: stringTableSize, what: "dynamic string table")
        return try needed.map { (index: UInt64) throws(ELFFormatError) -> String in
            guard index < UInt64(strings.count) else {
                throw ELFFormatError("a DT_NEEDED name at \(index) is outside the dynamic string table (\(strings.count) bytes)")
            }
            return try reader.string(in: strings, from: strings.lowerBound + Int(index))
        }
    }
}
