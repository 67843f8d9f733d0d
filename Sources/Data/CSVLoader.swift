import Foundation
import Tensors

/// Reads a data set from a comma-separated file: one example per row, every column a
/// number, one column holding the label (a class index `0, 1, …` for classification, a real
/// target for regression). A first row with any non-numeric field is taken as a header.
/// Blank lines are skipped; `#` starts a comment line.
public enum CSVLoader {
  /// Loads `path`; `labelColumn` counts from 0, or from the end when negative (−1: last). A
  /// training set needs two classes; a given test set (`requiresTwoClasses: false`) may hold
  /// one.
  public static func load(
    path: String, labelColumn: Int = -1, task: TaskKind = .classification,
    requiresTwoClasses: Bool = true
  ) throws -> Dataset {
    let (_, rows) = try readRows(path: path, expecting: "a CSV file of numbers")
    guard let first = rows.first else {
      throw DataError("\(path): no data rows; expected numeric rows such as `0.5,1.2,1`")
    }
    let columns = first.fields.count
    guard columns >= 2 else {
      throw DataError(
        "\(path): rows have \(columns) column; need at least one feature and one label column")
    }
    let label = labelColumn < 0 ? columns + labelColumn : labelColumn
    guard label >= 0 && label < columns else {
      throw DataError(
        "data.labelColumn \(labelColumn) is out of range for \(path), which has \(columns) columns "
          + "(allowed: 0…\(columns - 1), or −\(columns)…−1 from the end)")
    }
    var features: [Float] = []
    features.reserveCapacity(rows.count * (columns - 1))
    var labels: [Int] = []
    var targets: [Float] = []
    for (line, fields) in rows {
      guard fields.count == columns else {
        throw DataError(
          "\(path):\(line): \(fields.count) fields, expected \(columns) like the first data row")
      }
      for (column, field) in fields.enumerated() {
        guard let value = parse(field) else {
          throw DataError(
            "\(path):\(line): field \(column + 1) '\(field.trimmingCharacters(in: .whitespaces))' is not a number"
          )
        }
        guard Float(value).isFinite else {
          throw DataError(
            "\(path):\(line): field \(column + 1) is \(value); values must be finite in single precision"
          )
        }
        if column != label {
          features.append(Float(value))
        } else if task == .regression {
          targets.append(Float(value))
        } else {
          guard value >= 0, value == value.rounded(), value < 1e6 else {
            throw DataError(
              "\(path):\(line): label '\(field.trimmingCharacters(in: .whitespaces))' in column \(label) "
                + "is not a class index (allowed: integers 0, 1, 2, …)")
          }
          labels.append(Int(value))
        }
      }
    }
    let inputs = Tensor(shape: [rows.count, columns - 1], scalars: features)
    if task == .regression {
      return Dataset(
        inputs: inputs, targets: .values(Tensor(shape: [rows.count, 1], scalars: targets)))
    }
    let classes = (labels.max() ?? 0) + 1
    guard classes >= 2 || !requiresTwoClasses else {
      throw DataError("\(path): every label is 0; classification needs at least two classes")
    }
    return Dataset(inputs: inputs, targets: .classes(labels: labels, count: classes))
  }

  /// The rows of a CSV file with their line numbers (any newline convention; blank lines and
  /// `#` comment lines skipped; a byte-order mark dropped), and the first row's fields when no
  /// field of it is a number (a header). `expecting` completes the error for a file that is
  /// not UTF-8 text.
  static func readRows(path: String, expecting: String) throws -> (
    header: [String]?, rows: [(line: Int, fields: [Substring])]
  ) {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw DataError("\(path): cannot read the file (it does not exist or is not readable)")
    }
    guard var text = String(data: data, encoding: .utf8) else {
      throw DataError("\(path): not UTF-8 text; expected \(expecting)")
    }
    if text.hasPrefix("\u{FEFF}") { text.removeFirst() }  // byte-order mark
    var rows: [(line: Int, fields: [Substring])] = []
    // Any newline convention (LF, CRLF — one Character in Swift — or CR).
    for (index, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
      .enumerated()
    {
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
      rows.append((index + 1, line.split(separator: ",", omittingEmptySubsequences: false)))
    }
    var header: [String]? = nil
    if let first = rows.first, first.fields.allSatisfy({ parse($0) == nil }) {
      header = first.fields.map {
        $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(
          in: CharacterSet(charactersIn: "\""))
      }
      rows.removeFirst()  // a header: no field of the first row is a number
    }
    return (header, rows)
  }

  static func parse(_ field: Substring) -> Double? {
    Double(field.trimmingCharacters(in: .whitespaces))
  }
}
