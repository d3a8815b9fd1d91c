/* The Win32 behaviour the Windows back-ends rely on, checked under Wine (tests/wine/test_win32.py).
   Each mode prints one line of JSON and exits 0; the test reads the line.

   hotkey     RegisterHotKey on a window, SendInput of the combination -> WM_HOTKEY with its id; a second
              registration of the same combination fails with ERROR_HOTKEY_ALREADY_REGISTERED
   sequence   every clipboard change moves GetClipboardSequenceNumber, and a listener window gets one
              WM_CLIPBOARDUPDATE for a change made by another process (this program run as "put")
   formats    five formats (text, HTML Format, PNG, DIB, a private one) snapshotted by EnumClipboardFormats
              and GetClipboardData, the clipboard changed, then every format put back byte for byte
   delayed    text announced with SetClipboardData(format, NULL): another process's read ("read") brings
              one WM_RENDERFORMAT, it gets the rendered text, and a second read brings none
   put TEXT   (helper) puts TEXT on the clipboard;  read  (helper) prints the clipboard's text, twice read */
#include <windows.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

static int renders = 0;
static int updates = 0;
static int hotkey_id = 0;

static LRESULT CALLBACK procedure(HWND window, UINT message, WPARAM wparam, LPARAM lparam) {
    if (message == WM_RENDERFORMAT && wparam == CF_UNICODETEXT) {
        const wchar_t *text = L"rendered on request";
        size_t size = (wcslen(text) + 1) * sizeof(wchar_t);
        HGLOBAL memory = GlobalAlloc(GMEM_MOVEABLE, size);
        memcpy(GlobalLock(memory), text, size);
        GlobalUnlock(memory);
        SetClipboardData(CF_UNICODETEXT, memory);
        renders++;
        return 0;
    }
    if (message == WM_CLIPBOARDUPDATE) { updates++; return 0; }
    if (message == WM_HOTKEY) { hotkey_id = (int)wparam; return 0; }
    return DefWindowProcW(window, message, wparam, lparam);
}

static HWND make_window(void) {
    WNDCLASSW window_class = {0};
    window_class.lpfnWndProc = procedure;
    window_class.hInstance = GetModuleHandleW(NULL);
    window_class.lpszClassName = L"RephraserChecks";
    RegisterClassW(&window_class);
    return CreateWindowExW(0, L"RephraserChecks", L"checks", 0, 0, 0, 0, 0, HWND_MESSAGE, NULL, NULL, NULL);
}

/* Dispatch messages for `ms`, or until *until becomes nonzero, while `process` (if any) runs. */
static void pump(DWORD ms, const int *until, HANDLE process) {
    DWORD start = GetTickCount();
    MSG message;
    while (GetTickCount() - start < ms && !(until && *until)) {
        DWORD count = process ? 1 : 0;
        DWORD woke = MsgWaitForMultipleObjects(count, &process, FALSE, 50, QS_ALLINPUT);
        while (PeekMessageW(&message, NULL, 0, 0, PM_REMOVE)) { TranslateMessage(&message); DispatchMessageW(&message); }
        if (process && woke == WAIT_OBJECT_0) return;
    }
}

static int put_text(const wchar_t *text, HWND owner) {
    size_t size = (wcslen(text) + 1) * sizeof(wchar_t);
    HGLOBAL memory = GlobalAlloc(GMEM_MOVEABLE, size);
    memcpy(GlobalLock(memory), text, size);
    GlobalUnlock(memory);
    if (!OpenClipboard(owner)) return 0;
    EmptyClipboard();
    int ok = SetClipboardData(CF_UNICODETEXT, memory) != NULL;
    CloseClipboard();
    return ok;
}

static HANDLE run_self(const char *arguments) {
    char path[MAX_PATH], command[MAX_PATH + 64];
    GetModuleFileNameA(NULL, path, MAX_PATH);
    snprintf(command, sizeof command, "\"%s\" %s", path, arguments);
    STARTUPINFOA startup = {sizeof startup};
    PROCESS_INFORMATION info;
    if (!CreateProcessA(NULL, command, NULL, NULL, FALSE, 0, NULL, NULL, &startup, &info)) return NULL;
    CloseHandle(info.hThread);
    return info.hProcess;
}

static int check_hotkey(void) {
    HWND window = make_window();
    int registered = RegisterHotKey(window, 7, MOD_CONTROL | MOD_ALT | MOD_NOREPEAT, 'R');
    int again = RegisterHotKey(window, 8, MOD_CONTROL | MOD_ALT, 'R');
    DWORD again_error = GetLastError();
    INPUT keys[6] = {0};
    WORD codes[3] = {VK_CONTROL, VK_MENU, 'R'};
    for (int i = 0; i < 3; i++) { keys[i].type = INPUT_KEYBOARD; keys[i].ki.wVk = codes[i]; }
    for (int i = 0; i < 3; i++) {
        keys[3 + i].type = INPUT_KEYBOARD; keys[3 + i].ki.wVk = codes[2 - i]; keys[3 + i].ki.dwFlags = KEYEVENTF_KEYUP;
    }
    DWORD start = GetTickCount();
    UINT sent = SendInput(6, keys, sizeof(INPUT));
    pump(5000, &hotkey_id, NULL);
    printf("{\"registered\": %d, \"second_registered\": %d, \"second_error\": %lu, \"sent\": %u, \"hotkey_id\": %d, "
           "\"ms\": %lu}\n", registered, again, again_error, sent, hotkey_id, GetTickCount() - start);
    return 0;
}

static int check_sequence(void) {
    HWND window = make_window();
    DWORD before = GetClipboardSequenceNumber();
    put_text(L"one", window);
    DWORD after_own = GetClipboardSequenceNumber();
    int listening = AddClipboardFormatListener(window);
    pump(300, NULL, NULL);
    updates = 0;
    HANDLE other = run_self("put other");
    pump(10000, NULL, other);
    pump(1000, &updates, NULL);
    printf("{\"moved_by_own_change\": %d, \"listening\": %d, \"updates_for_other_change\": %d, "
           "\"moved_by_other_change\": %d}\n", after_own != before, listening, updates,
           GetClipboardSequenceNumber() != after_own);
    return 0;
}

struct saved { UINT format; SIZE_T size; unsigned char *bytes; };

static int check_formats(void) {
    HWND window = make_window();
    UINT html = RegisterClipboardFormatW(L"HTML Format"), png = RegisterClipboardFormatW(L"PNG");
    UINT own = RegisterClipboardFormatW(L"Rephraser Check");
    struct { UINT format; const char *bytes; SIZE_T size; } given[5] = {
        {CF_UNICODETEXT, (const char *)L"mine \x2713", 14}, {html, "<b>mine</b>", 12}, {png, "\x89PNG\r\n\x1a\n", 8},
        {CF_DIB, "\x28\0\0\0\1\0\0\0\1\0\0\0\1\0\x20\0\0\0\0\0\4\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\xff\0\0\0", 44},
        {own, "\x01\x02\x03", 3},
    };
    OpenClipboard(window);
    EmptyClipboard();
    for (int i = 0; i < 5; i++) {
        HGLOBAL memory = GlobalAlloc(GMEM_MOVEABLE, given[i].size);
        memcpy(GlobalLock(memory), given[i].bytes, given[i].size);
        GlobalUnlock(memory);
        SetClipboardData(given[i].format, memory);
    }
    CloseClipboard();
    struct saved saved[64];
    int count = 0;
    OpenClipboard(window);
    for (UINT format = EnumClipboardFormats(0); format && count < 64; format = EnumClipboardFormats(format)) {
        if (format == CF_BITMAP || format == CF_ENHMETAFILE || format == CF_METAFILEPICT || format == CF_PALETTE) continue;
        HGLOBAL memory = GetClipboardData(format);
        void *pointer = memory ? GlobalLock(memory) : NULL;
        if (!pointer) continue;
        saved[count].format = format;
        saved[count].size = GlobalSize(memory);
        saved[count].bytes = malloc(saved[count].size);
        memcpy(saved[count].bytes, pointer, saved[count].size);
        GlobalUnlock(memory);
        count++;
    }
    CloseClipboard();
    put_text(L"something else", window);
    OpenClipboard(window);
    EmptyClipboard();
    for (int i = 0; i < count; i++) {
        HGLOBAL memory = GlobalAlloc(GMEM_MOVEABLE, saved[i].size);
        memcpy(GlobalLock(memory), saved[i].bytes, saved[i].size);
        GlobalUnlock(memory);
        SetClipboardData(saved[i].format, memory);
    }
    CloseClipboard();
    int same = 0;
    char differing[128] = "";
    OpenClipboard(window);
    for (int i = 0; i < 5; i++) {
        HGLOBAL memory = GetClipboardData(given[i].format);
        void *pointer = memory ? GlobalLock(memory) : NULL;
        if (pointer && GlobalSize(memory) >= given[i].size && memcmp(pointer, given[i].bytes, given[i].size) == 0) {
            same++;
        } else {
            snprintf(differing + strlen(differing), sizeof differing - strlen(differing), "%s%u:%lu", *differing ? "," : "",
                     given[i].format, pointer ? (unsigned long)GlobalSize(memory) : 0UL);
        }
        if (pointer) GlobalUnlock(memory);
    }
    CloseClipboard();
    printf("{\"saved_formats\": %d, \"same_after_restore\": %d, \"differing\": \"%s\"}\n", count, same, differing);
    return 0;
}

static int check_delayed(void) {
    HWND window = make_window();
    OpenClipboard(window);
    EmptyClipboard();
    SetClipboardData(CF_UNICODETEXT, NULL);
    CloseClipboard();
    int renders_before = renders;
    HANDLE reader = run_self("read");
    pump(15000, NULL, reader);
    DWORD code = 1;
    GetExitCodeProcess(reader, &code);
    printf("{\"renders_before_read\": %d, \"renders_after_reads\": %d, \"reader_exit\": %lu}\n", renders_before,
           renders, code);
    return 0;
}

static int read_twice(void) {
    wchar_t first[64] = L"", second[64] = L"";
    for (int pass = 0; pass < 2; pass++) {
        if (!OpenClipboard(NULL)) return 2;
        HGLOBAL memory = GetClipboardData(CF_UNICODETEXT);
        wchar_t *text = memory ? GlobalLock(memory) : NULL;
        if (text) { wcsncpy(pass ? second : first, text, 63); GlobalUnlock(memory); }
        CloseClipboard();
    }
    /* The owner's test reads the exit code: 0 when both reads gave the rendered text. */
    return wcscmp(first, L"rendered on request") == 0 && wcscmp(second, L"rendered on request") == 0 ? 0 : 3;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc >= 2 && !strcmp(argv[1], "hotkey")) return check_hotkey();
    if (argc >= 2 && !strcmp(argv[1], "sequence")) return check_sequence();
    if (argc >= 2 && !strcmp(argv[1], "formats")) return check_formats();
    if (argc >= 2 && !strcmp(argv[1], "delayed")) return check_delayed();
    if (argc >= 3 && !strcmp(argv[1], "put")) return put_text(L"from another process", NULL) ? 0 : 1;
    if (argc >= 2 && !strcmp(argv[1], "read")) return read_twice();
    fprintf(stderr, "usage: win32_checks hotkey|sequence|formats|delayed\n");
    return 2;
}
