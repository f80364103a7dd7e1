using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;
using Dispatch.Contracts;

namespace Dispatch.Silo.Import;

/// <summary>
/// Reads the first worksheet of an XLSX file row by row, as the file lists them: a row numbered 2,000,000,000 is one
/// row, not two billion empty ones, and reading stops as soon as a row lies past the limit. The zip's parts are
/// refused before reading when they would expand beyond <see cref="Limits.MaxXlsxExpandedBytes"/> (and a part that
/// expands beyond its declared size is cut off), so a small file cannot unfold into gigabytes.
/// </summary>
public static class XlsxSheet
{
    private const string MainNs = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private const string RelNs = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    private const string PackageRelNs = "http://schemas.openxmlformats.org/package/2006/relationships";
    private const int MaxParts = 1_000;
    private const int MaxColumn = 16_384;

    private static readonly XmlReaderSettings s_xml = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
    };

    /// <exception cref="InvalidDataException">The file is not a readable XLSX, or lies beyond a limit.</exception>
    public static Sheet Read(Stream stream, int maxRows, long maxExpandedBytes)
    {
        using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        if (zip.Entries.Count > MaxParts)
        {
            throw new InvalidDataException($"The file has {zip.Entries.Count:N0} parts; an XLSX sheet has far fewer than {MaxParts:N0}.");
        }
        var expanded = zip.Entries.Sum(e => e.Length);
        if (expanded > maxExpandedBytes)
        {
            throw new InvalidDataException($"The file's parts expand to {expanded:N0} bytes when read; at most {maxExpandedBytes:N0} are accepted.");
        }
        var (sheetPath, stringsPath, stylesPath) = PartsOf(zip);
        var strings = stringsPath is null ? [] : SharedStrings(zip, stringsPath);
        var dateStyles = stylesPath is null ? [] : DateStyles(zip, stylesPath);
        var sheet = zip.GetEntry(sheetPath) ?? throw new InvalidDataException($"The file has no worksheet '{sheetPath}'.");
        return Rows(sheet, strings, dateStyles, maxRows);
    }

    private static Sheet Rows(ZipArchiveEntry sheet, IReadOnlyList<string> strings, HashSet<int> dateStyles, int maxRows)
    {
        List<(int Column, string Name)>? header = null;
        int? headerRow = null;
        var rows = new List<IReadOnlyDictionary<string, string?>>();
        using var reader = XmlReader.Create(Open(sheet), s_xml);
        var rowNumber = 0;
        Dictionary<int, string>? cells = null;
        var column = 0;
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "row" && reader.NamespaceURI == MainNs)
            {
                rowNumber = reader.GetAttribute("r") is { } r ? ParseNumber(r, "row number") : rowNumber + 1;
                if (rowNumber > maxRows + (headerRow ?? 1))
                {
                    throw new InvalidDataException($"The sheet has a row numbered {rowNumber:N0}; an import takes at most {maxRows:N0} rows under its header.");
                }
                cells = [];
                column = 0;
                if (reader.IsEmptyElement)
                {
                    cells = null;
                }
            }
            else if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "c" && reader.NamespaceURI == MainNs && cells is not null)
            {
                column = reader.GetAttribute("r") is { } reference ? ColumnOf(reference) : column + 1;
                var value = Cell(reader, strings, dateStyles);
                if (!string.IsNullOrWhiteSpace(value))
                {
                    cells[column] = value.Trim();
                }
            }
            else if (reader.NodeType == XmlNodeType.EndElement && reader.LocalName == "row" && cells is not null)
            {
                if (cells.Count > 0)
                {
                    if (header is null)
                    {
                        header = cells.OrderBy(c => c.Key).Select(c => (c.Key, c.Value)).ToList();
                        headerRow = rowNumber;
                    }
                    else
                    {
                        if (rows.Count == maxRows)
                        {
                            throw new InvalidDataException($"The sheet has more than {maxRows:N0} rows under its header; import at most {maxRows:N0} at a time.");
                        }
                        var row = new Dictionary<string, string?>(StringComparer.Ordinal);
                        foreach (var (at, name) in header)
                        {
                            row.TryAdd(name, cells.GetValueOrDefault(at));
                        }
                        rows.Add(row);
                    }
                }
                cells = null;
            }
        }
        var names = new List<string>();
        foreach (var (_, name) in header ?? [])
        {
            if (!names.Contains(name, StringComparer.Ordinal))
            {
                names.Add(name);
            }
        }
        return new Sheet(names, rows);
    }

    /// <summary>Reads one <c>c</c> element (the reader ends on its end tag) and gives its value as text.</summary>
    private static string? Cell(XmlReader reader, IReadOnlyList<string> strings, HashSet<int> dateStyles)
    {
        var type = reader.GetAttribute("t");
        var style = reader.GetAttribute("s") is { } s && int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var si) ? si : -1;
        if (reader.IsEmptyElement)
        {
            return null;
        }
        var depth = reader.Depth;
        string? raw = null;
        var inline = new StringBuilder();
        while (reader.Read() && !(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth))
        {
            if (reader.NodeType != XmlNodeType.Element || reader.NamespaceURI != MainNs)
            {
                continue;
            }
            if (reader.LocalName == "v")
            {
                raw = reader.ReadElementContentAsString();
                if (reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth)
                {
                    break;
                }
            }
            else if (reader.LocalName == "t")
            {
                inline.Append(reader.ReadElementContentAsString());
                if (reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth)
                {
                    break;
                }
            }
        }
        return type switch
        {
            "s" => raw is not null && int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < strings.Count ? strings[i]
                : throw new InvalidDataException($"A cell refers to shared string '{raw}', which the file does not have."),
            "inlineStr" => inline.ToString(),
            "b" => raw == "1" ? "TRUE" : "FALSE",
            "str" or "e" => raw,
            _ => Number(raw, dateStyles.Contains(style)),
        };
    }

    private static string? Number(string? raw, bool isDate)
    {
        if (raw is null || !double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return raw;
        }
        if (isDate && number is >= 0 and < 2_958_466)
        {
            return DateTime.FromOADate(number).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }
        return decimal.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var exact)
            ? exact.ToString(CultureInfo.InvariantCulture) : raw;
    }

    /// <summary>The first worksheet, the shared strings and the styles, as the workbook's relationships name them.</summary>
    private static (string Sheet, string? Strings, string? Styles) PartsOf(ZipArchive zip)
    {
        var targets = new Dictionary<string, (string Type, string Target)>(StringComparer.Ordinal);
        if (zip.GetEntry("xl/_rels/workbook.xml.rels") is { } rels)
        {
            using var reader = XmlReader.Create(Open(rels), s_xml);
            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "Relationship" && reader.NamespaceURI == PackageRelNs
                    && reader.GetAttribute("Id") is { } id && reader.GetAttribute("Target") is { } target)
                {
                    targets[id] = (reader.GetAttribute("Type") ?? "", target.StartsWith('/') ? target.TrimStart('/') : $"xl/{target}");
                }
            }
        }
        string? sheet = null;
        if (zip.GetEntry("xl/workbook.xml") is { } workbook)
        {
            using var reader = XmlReader.Create(Open(workbook), s_xml);
            while (sheet is null && reader.Read())
            {
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "sheet" && reader.NamespaceURI == MainNs
                    && reader.GetAttribute("id", RelNs) is { } id && targets.TryGetValue(id, out var part))
                {
                    sheet = part.Target;
                }
            }
        }
        string? Of(string type) => targets.Values.Where(t => t.Type.EndsWith($"/{type}", StringComparison.Ordinal)).Select(t => t.Target).FirstOrDefault()
            ?? (zip.GetEntry($"xl/{type}.xml") is null ? null : $"xl/{type}.xml");
        return (sheet ?? "xl/worksheets/sheet1.xml", Of("sharedStrings"), Of("styles"));
    }

    private static List<string> SharedStrings(ZipArchive zip, string path)
    {
        var strings = new List<string>();
        if (zip.GetEntry(path) is not { } entry)
        {
            return strings;
        }
        using var reader = XmlReader.Create(Open(entry), s_xml);
        var text = new StringBuilder();
        var inItem = false;
        var phonetic = 0;
        while (!reader.EOF)
        {
            if (reader.NodeType == XmlNodeType.Element && reader.NamespaceURI == MainNs)
            {
                switch (reader.LocalName)
                {
                    case "si" when !reader.IsEmptyElement:
                        inItem = true;
                        text.Clear();
                        break;
                    case "si":
                        strings.Add("");
                        break;
                    case "rPh" when !reader.IsEmptyElement:
                        phonetic++;
                        break;
                    case "t" when inItem && phonetic == 0:
                        text.Append(reader.ReadElementContentAsString());
                        continue;
                }
            }
            else if (reader.NodeType == XmlNodeType.EndElement && reader.NamespaceURI == MainNs)
            {
                if (reader.LocalName == "si")
                {
                    strings.Add(text.ToString());
                    inItem = false;
                }
                else if (reader.LocalName == "rPh")
                {
                    phonetic--;
                }
            }
            reader.Read();
        }
        return strings;
    }

    /// <summary>The cell styles (indexes into <c>cellXfs</c>) whose number format shows a date.</summary>
    private static HashSet<int> DateStyles(ZipArchive zip, string path)
    {
        var dates = new HashSet<int>();
        if (zip.GetEntry(path) is not { } entry)
        {
            return dates;
        }
        var customDates = new HashSet<int>();
        using var reader = XmlReader.Create(Open(entry), s_xml);
        var inCellXfs = false;
        var index = 0;
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.Element && reader.NamespaceURI == MainNs)
            {
                if (reader.LocalName == "numFmt" && reader.GetAttribute("numFmtId") is { } id && int.TryParse(id, CultureInfo.InvariantCulture, out var fmt)
                    && IsDateFormat(reader.GetAttribute("formatCode") ?? ""))
                {
                    customDates.Add(fmt);
                }
                else if (reader.LocalName == "cellXfs")
                {
                    inCellXfs = !reader.IsEmptyElement;
                }
                else if (reader.LocalName == "xf" && inCellXfs)
                {
                    var numFmt = int.TryParse(reader.GetAttribute("numFmtId"), CultureInfo.InvariantCulture, out var n) ? n : 0;
                    if (numFmt is >= 14 and <= 22 or >= 45 and <= 47 || customDates.Contains(numFmt))
                    {
                        dates.Add(index);
                    }
                    index++;
                }
            }
            else if (reader.NodeType == XmlNodeType.EndElement && reader.LocalName == "cellXfs")
            {
                inCellXfs = false;
            }
        }
        return dates;
    }

    /// <summary>A custom number format shows a date when, outside quotes and brackets, it has a day, month or year.</summary>
    private static bool IsDateFormat(string code)
    {
        var quoted = false;
        var bracket = false;
        foreach (var c in code)
        {
            switch (c)
            {
                case '"': quoted = !quoted; break;
                case '[' when !quoted: bracket = true; break;
                case ']' when !quoted: bracket = false; break;
                case 'y' or 'Y' or 'd' or 'D' when !quoted && !bracket: return true;
            }
        }
        return false;
    }

    private static int ParseNumber(string text, string what) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n : throw new InvalidDataException($"'{text}' is not a {what}.");

    /// <summary>The column (1 = A) of a cell reference such as <c>AB12</c>.</summary>
    private static int ColumnOf(string reference)
    {
        var column = 0;
        foreach (var c in reference)
        {
            if (c is >= 'A' and <= 'Z')
            {
                column = column * 26 + (c - 'A' + 1);
                if (column > MaxColumn)
                {
                    break;
                }
            }
            else
            {
                break;
            }
        }
        return column is > 0 and <= MaxColumn ? column : throw new InvalidDataException($"'{reference}' is not a cell reference within XFD.");
    }

    /// <summary>A part's content, cut off with an error if it expands beyond the size its zip entry declares.</summary>
    private static Stream Open(ZipArchiveEntry entry) => new BoundedStream(entry.Open(), entry.Length, entry.FullName);

    private sealed class BoundedStream(Stream inner, long limit, string name) : Stream
    {
        private long _read;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var read = inner.Read(buffer);
            _read += read;
            return _read > limit
                ? throw new InvalidDataException($"The part '{name}' expands beyond the {limit:N0} bytes it declares.")
                : read;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
