// Loaded before every Vitest file. @peculiar/x509 relies on decorator metadata.
import "reflect-metadata";
