import { isAbsolute, resolve } from 'node:path'
import { defineConfig, services } from '@adonisjs/drive'
import env from '#start/env'

/*
| Where company files live: the local disk (local and desktop installs) or any S3-compatible
| service (production), switched by DRIVE_DISK alone. Objects are private: downloads go through
| short-lived signed URLs (docs/operations.md, Files).
*/
/**
 * FILES_ROOT: absolute, or relative to the folder the app runs from (default storage/files),
 * like SQLITE_PATH — not to build/, which every build replaces.
 */
export function filesRoot() {
  const root = env.get('FILES_ROOT', 'storage/files')
  return isAbsolute(root) ? root : resolve(process.cwd(), root)
}

const driveConfig = defineConfig({
  default: env.get('DRIVE_DISK', 'fs'),
  services: {
    fs: services.fs({
      location: filesRoot(),
      visibility: 'private',
      serveFiles: false,
    }),
    s3: services.s3({
      credentials: {
        accessKeyId: env.get('S3_ACCESS_KEY_ID', ''),
        secretAccessKey: env.get('S3_SECRET_ACCESS_KEY', ''),
      },
      region: env.get('S3_REGION', 'us-east-1'),
      bucket: env.get('S3_BUCKET', ''),
      endpoint: env.get('S3_ENDPOINT'),
      forcePathStyle: env.get('S3_FORCE_PATH_STYLE', false),
      visibility: 'private',
    }),
  },
})

export default driveConfig

declare module '@adonisjs/drive/types' {
  export interface DriveDisks extends InferDriveDisks<typeof driveConfig> {}
}
