dofile("bench/serve/report.lua")
