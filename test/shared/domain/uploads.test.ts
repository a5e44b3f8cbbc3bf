import { describe, expect, it } from 'vitest';
import { carriesTestSignature, checkDeclaredUpload, classifyUpload, MAX_UPLOAD_BYTES, MAX_UPLOAD_NAME_CHARS, sniffUploadType, uploadName } from '../../../shared/domain/uploads.js';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
const PDF = Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj');
const ZIP = Buffer.from('504b030414000600080000002100', 'hex');

describe('uploadName', () => {
  it('keeps only the last part of a path', () => {
    expect(uploadName('../../etc/passwd')).toBe('passwd');
    expect(uploadName('C:\\fakepath\\屏幕截图.png')).toBe('屏幕截图.png');
  });

  it('drops control and bidirectional-override characters and leading dots', () => {
    expect(uploadName('in\u202Egnp.exe')).toBe('ingnp.exe');
    expect(uploadName('a\r\nBcc: x@y.z.txt')).toBe('aBcc_ x@y.z.txt');
    expect(uploadName('...hidden.txt')).toBe('hidden.txt');
    expect(uploadName('..')).toBe('file');
  });

  it('cuts a long name but keeps its extension', () => {
    const name = uploadName(`${'长'.repeat(300)}.pdf`);
    expect([...name]).toHaveLength(MAX_UPLOAD_NAME_CHARS);
    expect(name.endsWith('.pdf')).toBe(true);
  });
});

describe('checkDeclaredUpload', () => {
  it('takes the listed types by name and refuses markup, scripts and executables', () => {
    expect(checkDeclaredUpload({ name: 'Report.PDF', size: 10 })).toEqual({ ok: true, type: 'application/pdf' });
    for (const name of ['a.html', 'a.htm', 'a.svg', 'a.exe', 'a.js', 'a.png.exe', 'README']) expect(checkDeclaredUpload({ name, size: 10 })).toEqual({ ok: false, refusal: 'type-not-allowed' });
  });

  it('refuses empty and oversized files', () => {
    expect(checkDeclaredUpload({ name: 'a.png', size: 0 })).toEqual({ ok: false, refusal: 'empty' });
    expect(checkDeclaredUpload({ name: 'a.png', size: MAX_UPLOAD_BYTES + 1 })).toEqual({ ok: false, refusal: 'too-large' });
  });
});

describe('classifyUpload', () => {
  it('types a file by its bytes and its name together', () => {
    expect(classifyUpload('shot.png', PNG)).toEqual({ ok: true, type: 'image/png' });
    expect(classifyUpload('bill.pdf', PDF)).toEqual({ ok: true, type: 'application/pdf' });
    expect(classifyUpload('sheet.xlsx', ZIP)).toEqual({ ok: true, type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
    expect(classifyUpload('log.txt', Buffer.from('错误代码 E42\nretry failed'))).toEqual({ ok: true, type: 'text/plain' });
  });

  it('refuses a file whose content is not what its name says', () => {
    expect(classifyUpload('shot.png', Buffer.from('<svg onload=alert(1)>'))).toEqual({ ok: false, refusal: 'type-mismatch' });
    expect(classifyUpload('notes.txt', Buffer.from('  <html><script>x</script>'))).toEqual({ ok: false, refusal: 'type-mismatch' });
    expect(classifyUpload('notes.txt', Buffer.from([0x4d, 0x5a, 0x90, 0x00]))).toEqual({ ok: false, refusal: 'type-mismatch' });
    expect(classifyUpload('bill.pdf', PNG)).toEqual({ ok: false, refusal: 'type-mismatch' });
  });

  it('sniffs nothing it does not take', () => {
    expect(sniffUploadType(Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03]))).toBeUndefined();
    expect(sniffUploadType(Buffer.from([0xc3, 0x28]))).toBeUndefined();
  });
});

describe('carriesTestSignature', () => {
  it('recognises the EICAR test file and nothing else', () => {
    expect(carriesTestSignature(Buffer.from('X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*'))).toBe(true);
    expect(carriesTestSignature(PNG)).toBe(false);
  });
});
