/** Public surface of the PKI helpers. */
export { parsePemBlocks, pemToDer, derToPem, certificatesFromPem, type PemBlock } from "./pem";
export { generateKeyPair, type KeyAlgorithm, type KeyPairPem } from "./keys";
export {
  createCertificateAuthority,
  issueCertificate,
  type CertificateAndKey,
  type CreateCertificateAuthorityOptions,
  type IssueCertificateOptions,
  type IssuedCertificate,
  type SubjectSpec,
  type ExtKeyUsageName,
  type KeyUsageName,
} from "./issue";
export {
  createCertificateSigningRequest,
  parseCertificateSigningRequest,
  signCertificateSigningRequest,
  type ParsedCsr,
  type CsrParseResult,
  type CsrUsage,
  type SignCsrOptions,
} from "./csr";
export { describeCertificate, formatOpensslName, SIGNATURE_NAMES, type CertificateDescription } from "./describe";
export { parseCertificateDer, type ParsedCertificate } from "./certificate";
export { CertPool, verifyCertificate, type VerifyOptions, type VerifyResult } from "./go-verify";
