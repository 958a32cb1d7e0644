target_sources(carina_core PRIVATE)
