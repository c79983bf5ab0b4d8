import { readFile } from 'node:fs/promises';

/** Why a file named on the command line could not be read, in the words a user can act on. */
function whyUnreadable(error: unknown): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'it is a folder';
    case 'EACCES':
      return 'permission denied';
    default:
      return (error as Error).message;
  }
}

/**
 * Reads a UTF-8 file a user named with `option`; when it cannot be read, throws `failure` built from
 * a message naming the option, the file and why ("cannot read --input notes.txt: no such file").
 */
export async function readTextFile(
  file: string,
  option: string,
  failure: (message: string) => Error = (message) => new Error(message),
): Promise<string> {
  try {
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- the file the user named on the command line, read with their rights
    return await readFile(file, 'utf8');
  } catch (error) {
    throw failure(`cannot read ${option} ${file}: ${whyUnreadable(error)}`);
  }
}
