using System.Globalization;
using System.Text;

namespace Nerva.Data;

/// <summary>Reads delimited text files into a <see cref="CsvTable"/> of numeric and categorical columns.</summary>
public static class Csv
{
    /// <summary>Reads a CSV file (a .gz file is decompressed).</summary>
    /// <exception cref="InvalidDataException">A row with the wrong number of fields, or text in a numeric column, naming file, line and column.</exception>
    public static CsvTable Read(string path, CsvOptions? options = null)
    {
        using var stream = Compression.OpenMaybeGzip(path);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return Parse(reader, path, options);
    }

    /// <summary>Parses CSV text; <paramref name="sourceName"/> names it in error messages.</summary>
    public static CsvTable Parse(TextReader reader, string sourceName, CsvOptions? options = null)
    {
        options ??= new CsvOptions();
        var rows = new List<string[]>();
        var lineNumbers = new List<int>();
        string[]? header = null;
        int lineNumber = 0;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (lineNumber <= options.SkipLines || line.Length == 0) continue;
            var fields = SplitLine(line, options.Delimiter, sourceName, lineNumber);
            if (header is null && options.HasHeader)
            {
                header = Array.ConvertAll(fields, f => f.Trim());
                continue;
            }
            int expected = header?.Length ?? (rows.Count > 0 ? rows[0].Length : fields.Length);
            if (fields.Length != expected)
                throw new InvalidDataException($"{sourceName}:{lineNumber}: expected {expected} fields, got {fields.Length}.");
            rows.Add(fields);
            lineNumbers.Add(lineNumber);
        }
        int columns = header?.Length ?? (rows.Count > 0 ? rows[0].Length : 0);
        header ??= Enumerable.Range(0, columns).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();

        var numeric = new float[]?[columns];
        var text = new string?[]?[columns];
        for (int c = 0; c < columns; c++)
        {
            ColumnKind? given = options.ColumnTypes is not null && options.ColumnTypes.TryGetValue(header[c], out var k) ? k : null;
            var values = new float[rows.Count];
            bool isNumeric = given != ColumnKind.Categorical;
            for (int r = 0; r < rows.Count && isNumeric; r++)
            {
                string field = rows[r][c].Trim();
                if (options.MissingValues.Contains(field)) values[r] = float.NaN;
                else if (!float.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out values[r]))
                {
                    if (given == ColumnKind.Numeric)
                        throw new InvalidDataException($"{sourceName}:{lineNumbers[r]}: column '{header[c]}' is numeric but holds '{field}'.");
                    isNumeric = false;
                }
            }
            if (isNumeric) numeric[c] = values;
            else text[c] = rows.Select(row => options.MissingValues.Contains(row[c].Trim()) ? null : row[c].Trim()).ToArray();
        }
        return new CsvTable(sourceName, header, numeric, text, rows.Count);
    }

    /// <summary>Splits one line on the delimiter, honouring double-quoted fields ("a, b" and "" escapes).</summary>
    private static string[] SplitLine(string line, char delimiter, string sourceName, int lineNumber)
    {
        if (!line.Contains('"')) return line.Split(delimiter);
        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char ch = line[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
                else if (ch == '"') quoted = false;
                else field.Append(ch);
            }
            else if (ch == '"') quoted = true;
            else if (ch == delimiter) { fields.Add(field.ToString()); field.Clear(); }
            else field.Append(ch);
        }
        if (quoted) throw new InvalidDataException($"{sourceName}:{lineNumber}: a quoted field is not closed.");
        fields.Add(field.ToString());
        return [.. fields];
    }
}
