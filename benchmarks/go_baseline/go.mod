module shipway/benchmarks/go_baseline

go 1.19
