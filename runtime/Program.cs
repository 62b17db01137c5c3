// Entry point of the runtime executable; the CLI lands next.
return 0;
