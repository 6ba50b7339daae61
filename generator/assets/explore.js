// explore.js: page logic (filled in by its issue).
