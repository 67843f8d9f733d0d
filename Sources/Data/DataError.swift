/// A user's data file could not be used. The description is one line that names the file
/// (and line or field where there is one), what was wrong and what is allowed.
public struct DataError: Error, CustomStringConvertible, Equatable {
  public var description: String
  public init(_ description: String) { self.description = description }
}
