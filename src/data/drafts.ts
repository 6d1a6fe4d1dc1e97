import type { PrismaClient } from '../generated/prisma/client.ts';
import { emptyAnswers, type Answers } from '../journey/steps.ts';

export interface DraftRecord {
  id: string;
  answers: Answers;
  submittedCaseId: string | null;
}

/** Applications in progress: answers kept as JSON so a refresh, back or a later visit loses nothing. */
export function draftRepository(prisma: PrismaClient) {
  const toRecord = (row: { id: string; answers: unknown; submittedCaseId: string | null }): DraftRecord => ({
    id: row.id,
    answers: { ...emptyAnswers(), ...(row.answers as Partial<Answers>) },
    submittedCaseId: row.submittedCaseId,
  });

  return {
    async create(answers: Answers): Promise<DraftRecord> {
      const row = await prisma.draft.create({ data: { answers: answers as object } });
      return toRecord(row);
    },

    async find(id: string): Promise<DraftRecord | null> {
      const row = await prisma.draft.findUnique({ where: { id } });
      return row ? toRecord(row) : null;
    },

    async saveAnswers(id: string, answers: Answers): Promise<void> {
      await prisma.draft.update({ where: { id }, data: { answers: answers as object } });
    },

    async setResumeToken(id: string, tokenHash: string, expiresAt: Date): Promise<void> {
      await prisma.draft.update({ where: { id }, data: { resumeTokenHash: tokenHash, resumeExpiresAt: expiresAt } });
    },

    async findByResumeToken(tokenHash: string, now: Date): Promise<DraftRecord | null> {
      const row = await prisma.draft.findUnique({ where: { resumeTokenHash: tokenHash } });
      if (!row || row.submittedCaseId || !row.resumeExpiresAt || row.resumeExpiresAt <= now) return null;
      return toRecord(row);
    },

    async saveUpload(draftId: string, file: { fileName: string; mediaType: string; data: Uint8Array<ArrayBuffer> }): Promise<string> {
      const row = await prisma.upload.create({
        data: { draftId, fileName: file.fileName, mediaType: file.mediaType, size: file.data.byteLength, data: file.data },
        select: { id: true },
      });
      return row.id;
    },
  };
}

export type DraftRepository = ReturnType<typeof draftRepository>;
