; NotesDesk installer for Windows (NSIS 3, Unicode). Compile:
;     makensis -DPAYLOAD=<folder> -DVERSION=<x.y.z> -DOUTFILE=<setup.exe> installer/windows/notesdesk.nsi
; PAYLOAD is dist\notesdesk from the Windows PyInstaller build (NotesDesk.exe, notesdesk.com,
; _internal\, THIRD-PARTY-NOTICES.txt). On Linux, `make nsis` compiles it over a stand-in payload.
;
; Per user, no administrator prompt: installs to %LOCALAPPDATA%\Programs\NotesDesk and writes only
; HKCU. Vaults and backups live elsewhere (%LOCALAPPDATA%\NotesDesk and the folders the user chose);
; the uninstaller deletes only the program files it installed, by name, never a folder's whole content.
; Backups (.ndbk) are associated with NotesDesk.exe --restore (its restore page), per user.

Unicode true
!include "MUI2.nsh"

!ifndef PAYLOAD
  !error "give -DPAYLOAD=<the bundle folder>"
!endif
!ifndef VERSION
  !error "give -DVERSION=<x.y.z>"
!endif
!ifndef OUTFILE
  !define OUTFILE "NotesDesk-${VERSION}-setup.exe"
!endif

!define APP "NotesDesk"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\NotesDesk"
!define BACKUP_CLASS "NotesDesk.Backup"

Name "${APP}"
OutFile "${OUTFILE}"
RequestExecutionLevel user
InstallDir "$LOCALAPPDATA\Programs\${APP}"
InstallDirRegKey HKCU "Software\${APP}" "InstallDir"
SetCompressor /SOLID lzma
BrandingText "${APP} ${VERSION}"

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=1033 "ProductName" "${APP}"
VIAddVersionKey /LANG=1033 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=1033 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=1033 "FileDescription" "${APP} installer"
VIAddVersionKey /LANG=1033 "LegalCopyright" "Proprietary (LicenseRef-Proprietary)"
VIAddVersionKey /LANG=1033 "CompanyName" "${APP}"

!define MUI_ICON "..\..\resources\icons\notesdesk.ico"
!define MUI_UNICON "..\..\resources\icons\notesdesk.ico"
!define MUI_FINISHPAGE_RUN "$INSTDIR\NotesDesk.exe"
!define MUI_FINISHPAGE_RUN_TEXT "Open NotesDesk now"
!define MUI_COMPONENTSPAGE_NODESC

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_LICENSE "${PAYLOAD}\THIRD-PARTY-NOTICES.txt"
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

Section "NotesDesk (required)" SecApp
  SectionIn RO
  SetOutPath "$INSTDIR"
  File "${PAYLOAD}\NotesDesk.exe"
  File "${PAYLOAD}\notesdesk.com"
  File "${PAYLOAD}\THIRD-PARTY-NOTICES.txt"
  File /r "${PAYLOAD}\_internal"
  WriteUninstaller "$INSTDIR\Uninstall NotesDesk.exe"

  CreateShortCut "$SMPROGRAMS\${APP}.lnk" "$INSTDIR\NotesDesk.exe"

  ; Backups (.ndbk) open NotesDesk's restore page (`NotesDesk.exe --restore FILE`, ui/start/
  ; restore_file.py), per user: HKCU\Software\Classes only, no administrator prompt.
  WriteRegStr HKCU "Software\Classes\.ndbk" "" "${BACKUP_CLASS}"
  WriteRegStr HKCU "Software\Classes\.ndbk" "Content Type" "application/x-notesdesk-backup"
  WriteRegStr HKCU "Software\Classes\${BACKUP_CLASS}" "" "NotesDesk backup"
  WriteRegStr HKCU "Software\Classes\${BACKUP_CLASS}\DefaultIcon" "" "$INSTDIR\NotesDesk.exe,0"
  WriteRegStr HKCU "Software\Classes\${BACKUP_CLASS}\shell\open\command" "" '"$INSTDIR\NotesDesk.exe" --restore "%1"'
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'  ; SHCNE_ASSOCCHANGED

  WriteRegStr HKCU "Software\${APP}" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${APP}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "${APP}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\NotesDesk.exe"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\Uninstall NotesDesk.exe"'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
SectionEnd

Section /o "Desktop shortcut" SecDesktop
  CreateShortCut "$DESKTOP\${APP}.lnk" "$INSTDIR\NotesDesk.exe"
SectionEnd

Section "Uninstall"
  ; Only what the installer put there, by name: a vault or backup saved into this folder stays.
  Delete "$INSTDIR\NotesDesk.exe"
  Delete "$INSTDIR\notesdesk.com"
  Delete "$INSTDIR\THIRD-PARTY-NOTICES.txt"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\Uninstall NotesDesk.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\${APP}.lnk"
  Delete "$DESKTOP\${APP}.lnk"
  ; The association: our class, and .ndbk only while it still points to it (another program may have
  ; taken it since). Registry entries only: no backup file is touched.
  DeleteRegKey HKCU "Software\Classes\${BACKUP_CLASS}"
  ReadRegStr $0 HKCU "Software\Classes\.ndbk" ""
  StrCmp $0 "${BACKUP_CLASS}" 0 association_not_ours
    DeleteRegValue HKCU "Software\Classes\.ndbk" ""
    DeleteRegValue HKCU "Software\Classes\.ndbk" "Content Type"
    DeleteRegKey /ifempty HKCU "Software\Classes\.ndbk"
  association_not_ours:
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'  ; SHCNE_ASSOCCHANGED
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  DeleteRegKey HKCU "Software\${APP}"
SectionEnd
