import env from '#start/env'

/* The files module's knobs, read once from the environment; tests swap a copy. */
export class FilesSettings {
  disk: 'fs' | 's3' = env.get('DRIVE_DISK', 'fs')
  /** One file at most (413 E_FILE_TOO_LARGE beyond). */
  maxFileBytes = env.get('FILES_MAX_BYTES', 2 * 1024 ** 3)
  /** A company's storage without a plan that says otherwise (422 E_QUOTA_EXCEEDED beyond). */
  quotaBytes = env.get('FILES_QUOTA_BYTES', 5 * 1024 ** 3)
  /** How long a download URL works. */
  urlTtlSeconds = env.get('FILES_URL_TTL_SECONDS', 300)
  /** Deleted files stay recoverable this long, then `files:prune` removes their bytes. */
  purgeAfterDays = env.get('FILES_PURGE_AFTER_DAYS', 7)
  appUrl = env.get('APP_URL')
  signingKey = env.get('APP_KEY').release()

  now() {
    return Date.now()
  }
}
