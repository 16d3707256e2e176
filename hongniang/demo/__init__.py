"""The Ruijin demo (top layer: may import every app). `loader.load_demo` loads reference data and generated demo
rows; each later capability adds its own module and lists it in `loader.EXTENSIONS`."""
