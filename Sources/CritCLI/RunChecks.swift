import Experiments

/// Loads every data set the runs use and checks each run's memory estimate against the
/// machine, before any run starts.
func checkDataAndMemory(_ configurations: [TrainingConfiguration]) throws {
  var loaded: [DataConfiguration: (train: Dataset, test: Dataset)] = [:]
  for configuration in Set(configurations) {
    let data =
      try loaded[configuration.data]
      ?? {
        let parts = try configuration.data.load()
        loaded[configuration.data] = parts
        return parts
      }()
    try configuration.checkMemory(train: data.train, test: data.test)
  }
}
