module shipway/benchmarks/dynamodb_standin

go 1.19
