import Foundation

/// One numeric series read from a file the user already has: a column of a CSV file (a first
/// row with a non-numeric field is a header; blank lines and `#` comment lines are skipped) or
/// a NumPy `.npy` array (1-D, or a column of a 2-D array). Every value must be a finite number;
/// a file with several columns needs the column named.
public struct SeriesFile: Sendable, Equatable {
  /// The file's path, as given.
  public var path: String
  /// The column read: its header name, or its index counted from 0.
  public var column: String
  public var values: [Double]

  /// Reads `path` (`.npy` by its extension, any other file as CSV); `column` is a header name
  /// or an index counted from 0, and may be left out when the file has one column.
  public static func read(path: String, column: String? = nil) throws -> SeriesFile {
    path.lowercased().hasSuffix(".npy")
      ? try readNPY(path: path, column: column) : try readCSV(path: path, column: column)
  }

  static func readNPY(path: String, column: String?) throws -> SeriesFile {
    let array = try NPYArray.read(path: path)
    let rows = array.shape.first ?? 0
    let columns = array.shape.count == 2 ? array.shape[1] : 1
    guard array.shape.count == 1 || array.shape.count == 2 else {
      throw DataError("\(path): a series must be a 1-D or 2-D array, got shape \(array.shape)")
    }
    guard rows > 0 && columns > 0 else {
      throw DataError("\(path): the array of shape \(array.shape) holds no values")
    }
    let index: Int
    if let column {
      guard let k = Int(column), k >= 0, k < columns else {
        throw DataError(
          "--column \(column): not a column of \(path), which has \(columns) "
            + "(allowed: an index 0…\(columns - 1))")
      }
      index = k
    } else {
      guard columns == 1 else {
        throw DataError(
          "\(path): the array has \(columns) columns; name one with --column (0…\(columns - 1))")
      }
      index = 0
    }
    let values = (0..<rows).map { array.values[$0 * columns + index] }
    if let bad = values.firstIndex(where: { !$0.isFinite }) {
      throw DataError(
        "\(path): row \(bad) of column \(index) is \(values[bad]); values must be finite")
    }
    return SeriesFile(path: path, column: "\(index)", values: values)
  }

  static func readCSV(path: String, column: String?) throws -> SeriesFile {
    let (header, rows) = try CSVLoader.readRows(
      path: path, expecting: "a CSV file or a .npy array")
    guard let first = rows.first else {
      throw DataError("\(path): no data rows; expected numbers, one row per time step")
    }
    let columns = header?.count ?? first.fields.count
    let names = header ?? (0..<columns).map(String.init)
    let index: Int
    if let column {
      if let k = header?.firstIndex(of: column) {
        index = k
      } else if let k = Int(column), k >= 0, k < columns {
        index = k
      } else {
        throw DataError(
          "--column \(column): not a column of \(path) (allowed: \(names.joined(separator: ", ")), "
            + "or an index 0…\(columns - 1))")
      }
    } else {
      guard columns == 1 else {
        throw DataError(
          "\(path): \(columns) columns (\(names.joined(separator: ", "))); name one with --column")
      }
      index = 0
    }
    var values: [Double] = []
    values.reserveCapacity(rows.count)
    for (line, fields) in rows {
      guard fields.count == columns else {
        throw DataError("\(path):\(line): \(fields.count) fields, expected \(columns)")
      }
      guard let value = CSVLoader.parse(fields[index]), value.isFinite else {
        throw DataError(
          "\(path):\(line): column \(names[index]) holds \"\(fields[index])\"; "
            + "expected a finite number")
      }
      values.append(value)
    }
    return SeriesFile(path: path, column: names[index], values: values)
  }
}
