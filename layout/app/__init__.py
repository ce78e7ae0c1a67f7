"""app: the application layer — the stages run for each use (render, check, fit,
diff, preview, fonts, batch, watch, serve, init).  The command line, the
render server, `watch` and the tests call it; it prints nothing."""
