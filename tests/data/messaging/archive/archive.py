print("archived", flush=True)
