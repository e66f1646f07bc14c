dofile(os.getenv("BENCH_LUA") .. "/report.lua")
