// Placeholder entry point until the training CLI lands.
return 0;
