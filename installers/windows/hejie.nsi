; 和解台 Hejie — Windows installer (NSIS 3, MUI2, Simplified Chinese pages).
;
; Built from the PyInstaller bundle of installers/hejie.spec (dist\hejie: hejie.exe,
; hejie-admin.exe, _internal\):
;
;   makensis /INPUTCHARSET UTF8 /DVERSION=0.1.0 /DPAYLOAD=..\..\dist\hejie /DOUTFILE=..\..\dist\hejie-0.1.0-setup.exe installers\windows\hejie.nsi
;
; (Debian's makensis takes -D… / -INPUTCHARSET the same way; installers/ci-smoke.sh compiles this
; file there against a stand-in payload; .github/workflows/windows-installer.yml against the real one.)
;
; What it does:
; - per-machine install to Program Files (admin), Windows 10 1809 (build 17763) x64 or later;
; - asks where the data lives (a page of its own): one folder for every user of this PC,
;   %ProgramData%\Hejie (recommended for a counter PC several people share), whose ACL gives
;   the local Users group modify rights (a database one user made must be writable by the
;   next) — or each Windows user their own %APPDATA%\Hejie, as a pip install does;
;   the answer goes to $INSTDIR\hejie.ini, which the program reads (desktop/paths.py);
; - Start-menu folder 和解台 (和解台, 和解台 管理命令, 卸载), desktop shortcut;
; - uninstaller: removes the program, shortcuts and registry entries; keeps the data unless
;   the box 同时删除数据 is ticked (silent: /REMOVEDATA).
; Silent install: hejie-setup.exe /S [/DATA=machine|user] [/D=C:\Program Files\Hejie]

Unicode true
ManifestSupportedOS all
ManifestDPIAware true
RequestExecutionLevel admin
SetCompressor /SOLID lzma

!ifndef VERSION
  !define VERSION "0.1.0"
!endif
!ifndef PAYLOAD
  !define PAYLOAD "..\..\dist\hejie"
!endif
!ifndef OUTFILE
  !define OUTFILE "hejie-${VERSION}-setup.exe"
!endif
!ifndef ICON
  !define ICON "..\..\resources\icons\hejie.ico"
!endif

!define APP_NAME "和解台"
!define APP_KEY "Hejie"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP_KEY}"
!define SETTINGS_KEY "Software\${APP_KEY}"
!define MIN_BUILD 17763 ; Windows 10 1809: the oldest Windows that Qt 6 supports

Name "${APP_NAME}"
Caption "${APP_NAME} ${VERSION} 安装"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\${APP_KEY}"
InstallDirRegKey HKLM "${SETTINGS_KEY}" "InstallDir"
BrandingText "${APP_NAME} ${VERSION}"
VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=2052 "ProductName" "${APP_NAME} Hejie"
VIAddVersionKey /LANG=2052 "FileDescription" "${APP_NAME} 安装程序"
VIAddVersionKey /LANG=2052 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "LegalCopyright" "和解台项目组"

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "x64.nsh"
!include "WinVer.nsh"
!include "FileFunc.nsh"
!include "nsDialogs.nsh"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_WELCOMEPAGE_TITLE "安装 ${APP_NAME} ${VERSION}"
!define MUI_WELCOMEPAGE_TEXT "${APP_NAME}：消费投诉登记、受理、调解、办结与台账。$\r$\n$\r$\n本程序自带运行所需的全部组件（Python、Qt、中文字体），无需另行安装。$\r$\n$\r$\n需要 64 位 Windows 10（1809 版）或更高版本。"
!define MUI_FINISHPAGE_RUN ""
!define MUI_FINISHPAGE_RUN_TEXT "现在打开${APP_NAME}"
!define MUI_FINISHPAGE_RUN_FUNCTION RunAsTheUser

Var DataScope      ; machine | user
Var DataDir        ; the per-machine folder (scope machine)
Var RadioMachine
Var RadioUser
Var RemoveData     ; uninstaller: 1 = delete the data folder too
Var RemoveCheck

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
Page custom DataPageShow DataPageLeave
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
UninstPage custom un.DataPageShow un.DataPageLeave
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "SimpChinese"

; ---------------------------------------------------------------------------------------------
Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "${APP_NAME}需要 64 位的 Windows 10（1809 版）或更高版本。" /SD IDOK
    Abort
  ${EndIf}
  ${IfNot} ${AtLeastWin10}
  ${OrIfNot} ${AtLeastBuild} ${MIN_BUILD}
    MessageBox MB_ICONSTOP "${APP_NAME}需要 Windows 10（1809 版，内部版本 ${MIN_BUILD}）或更高版本。$\r$\n请先升级 Windows。" /SD IDOK
    Abort
  ${EndIf}
  SetRegView 64
  SetShellVarContext all
  StrCpy $DataDir "$APPDATA\${APP_KEY}" ; all users' AppData: C:\ProgramData\Hejie
  ; An earlier install's answer, else per-machine (the counter PC case).
  ReadRegStr $DataScope HKLM "${SETTINGS_KEY}" "DataScope"
  ${If} $DataScope != "user"
    StrCpy $DataScope "machine"
  ${EndIf}
  ${GetParameters} $0
  ClearErrors
  ${GetOptions} $0 "/DATA=" $1
  ${IfNot} ${Errors}
    ${If} $1 == "user"
    ${OrIf} $1 == "machine"
      StrCpy $DataScope $1
    ${EndIf}
  ${EndIf}
FunctionEnd

Function DataPageShow
  !insertmacro MUI_HEADER_TEXT "数据存放位置" "选择这台电脑上的数据（数据库、附件、备份）放在哪里。"
  nsDialogs::Create 1018
  Pop $0
  ${If} $0 == error
    Abort
  ${EndIf}
  ${NSD_CreateRadioButton} 0 0 100% 12u "本机所有用户共用一个数据文件夹（推荐：多人轮流使用的窗口电脑）"
  Pop $RadioMachine
  ${NSD_CreateLabel} 12u 13u -12u 20u "$DataDir$\r$\n每个登录这台电脑的 Windows 用户都打开同一个数据库；各人用自己的和解台账号登录。"
  Pop $0
  ${NSD_CreateRadioButton} 0 40u 100% 12u "每个 Windows 用户使用自己的数据文件夹"
  Pop $RadioUser
  ${NSD_CreateLabel} 12u 53u -12u 20u "各用户的 %APPDATA%\${APP_KEY}（只有本人能访问）：只有一个人使用这台电脑时可以选择。"
  Pop $0
  ${NSD_CreateLabel} 0 82u 100% 30u "环境变量 HEJIE_DATA_DIR 和命令行参数 --data-dir 优先于这里的选择。$\r$\n卸载程序时数据默认保留。"
  Pop $0
  ${If} $DataScope == "user"
    ${NSD_Check} $RadioUser
  ${Else}
    ${NSD_Check} $RadioMachine
  ${EndIf}
  nsDialogs::Show
FunctionEnd

Function DataPageLeave
  ${NSD_GetState} $RadioUser $0
  ${If} $0 == ${BST_CHECKED}
    StrCpy $DataScope "user"
  ${Else}
    StrCpy $DataScope "machine"
  ${EndIf}
FunctionEnd

; The installer runs elevated; the program must not (a per-user data folder would be the
; administrator's): Explorer starts it as the signed-in user.
Function RunAsTheUser
  Exec '"$WINDIR\explorer.exe" "$INSTDIR\hejie.exe"'
FunctionEnd

; hejie.ini beside the executables, UTF-16LE with a BOM (desktop/paths.py reads it).
Function WriteInstallSettings
  FileOpen $0 "$INSTDIR\hejie.ini" w
  FileWriteWord $0 0xFEFF
  FileWriteUTF16LE $0 "; ${APP_NAME} 安装设置（由安装程序写入；重新安装时可改选）$\r$\n"
  FileWriteUTF16LE $0 "; scope = machine：本机所有用户共用 dir 指定的数据文件夹；scope = user：每个用户用自己的 %APPDATA%\${APP_KEY}$\r$\n"
  FileWriteUTF16LE $0 "; 命令行参数 --data-dir 和环境变量 HEJIE_DATA_DIR 优先于本文件。$\r$\n"
  FileWriteUTF16LE $0 "[data]$\r$\n"
  FileWriteUTF16LE $0 "scope = $DataScope$\r$\n"
  ${If} $DataScope == "machine"
    FileWriteUTF16LE $0 "dir = $DataDir$\r$\n"
  ${EndIf}
  FileClose $0
FunctionEnd

Section "${APP_NAME}" SecMain
  SectionIn RO
  SetRegView 64
  SetShellVarContext all
  ; Over an earlier version: the old files go first (a library that the new bundle no longer
  ; has must not stay behind), the data is elsewhere and is not touched.
  ${If} ${FileExists} "$INSTDIR\hejie.exe"
    RMDir /r "$INSTDIR\_internal"
  ${EndIf}
  SetOutPath "$INSTDIR"
  File /r "${PAYLOAD}\*.*"
  File "/oname=hejie.ico" "${ICON}"
  Call WriteInstallSettings

  ${If} $DataScope == "machine"
    CreateDirectory "$DataDir"
    ; Every local user (BUILTIN\Users, by SID: the name differs by language) may create and
    ; change files there, inherited by what is made inside; others' files too, for one shared
    ; SQLite database. (By default ProgramData lets users change only what they made.)
    nsExec::ExecToLog 'icacls "$DataDir" /grant *S-1-5-32-545:(OI)(CI)M /T /C /Q'
    Pop $0
    ${If} $0 != 0
      DetailPrint "警告：未能设置 $DataDir 的访问权限（icacls 返回 $0）"
    ${EndIf}
  ${EndIf}

  ; Shortcuts for all users.
  CreateDirectory "$SMPROGRAMS\${APP_NAME}"
  CreateShortcut "$SMPROGRAMS\${APP_NAME}\${APP_NAME}.lnk" "$INSTDIR\hejie.exe" "" "$INSTDIR\hejie.ico" 0
  SetOutPath "$INSTDIR" ; the shortcuts' working folder: cmd finds hejie-admin.exe there
  CreateShortcut "$SMPROGRAMS\${APP_NAME}\${APP_NAME} 管理命令.lnk" "$SYSDIR\cmd.exe" "/k hejie-admin.exe --help" "$INSTDIR\hejie.ico" 0
  CreateShortcut "$SMPROGRAMS\${APP_NAME}\卸载${APP_NAME}.lnk" "$INSTDIR\uninstall.exe"
  CreateShortcut "$DESKTOP\${APP_NAME}.lnk" "$INSTDIR\hejie.exe" "" "$INSTDIR\hejie.ico" 0

  WriteUninstaller "$INSTDIR\uninstall.exe"
  WriteRegStr HKLM "${SETTINGS_KEY}" "InstallDir" "$INSTDIR"
  WriteRegStr HKLM "${SETTINGS_KEY}" "DataScope" "$DataScope"
  WriteRegStr HKLM "${SETTINGS_KEY}" "DataDir" "$DataDir"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayName" "${APP_NAME} Hejie"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "Publisher" "和解台项目组"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\hejie.ico"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKLM "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "EstimatedSize" "$0"
SectionEnd

; ---------------------------------------------------------------------------------------------
Function un.onInit
  SetRegView 64
  SetShellVarContext all
  ReadRegStr $DataScope HKLM "${SETTINGS_KEY}" "DataScope"
  ReadRegStr $DataDir HKLM "${SETTINGS_KEY}" "DataDir"
  StrCpy $RemoveData 0
  ${GetParameters} $0
  ClearErrors
  ${GetOptions} $0 "/REMOVEDATA" $1
  ${IfNot} ${Errors}
    StrCpy $RemoveData 1
  ${EndIf}
FunctionEnd

Function un.DataPageShow
  !insertmacro MUI_HEADER_TEXT "数据" "程序卸载后，数据默认保留，重新安装即可继续使用。"
  nsDialogs::Create 1018
  Pop $0
  ${If} $0 == error
    Abort
  ${EndIf}
  ${If} $DataScope == "machine"
  ${AndIf} $DataDir != ""
    ${NSD_CreateLabel} 0 0 100% 24u "本机的数据（数据库、附件、备份）在：$\r$\n$DataDir"
    Pop $0
    ${NSD_CreateCheckbox} 0 32u 100% 12u "同时删除数据文件夹（不可恢复；请先确认已有备份）"
    Pop $RemoveCheck
  ${Else}
    ${NSD_CreateLabel} 0 0 100% 36u "各 Windows 用户的数据在各自的 %APPDATA%\${APP_KEY} 中，卸载不会删除。$\r$\n不再需要时，由各用户自行删除该文件夹。"
    Pop $0
    StrCpy $RemoveCheck ""
  ${EndIf}
  nsDialogs::Show
FunctionEnd

Function un.DataPageLeave
  ${If} $RemoveCheck != ""
    ${NSD_GetState} $RemoveCheck $0
    ${If} $0 == ${BST_CHECKED}
      MessageBox MB_YESNO|MB_ICONEXCLAMATION|MB_DEFBUTTON2 "确定要删除 $DataDir 中的全部数据吗？此操作不可恢复。" IDYES +2
      Abort
      StrCpy $RemoveData 1
    ${EndIf}
  ${EndIf}
FunctionEnd

Section "Uninstall"
  SetRegView 64
  SetShellVarContext all
  Delete "$DESKTOP\${APP_NAME}.lnk"
  RMDir /r "$SMPROGRAMS\${APP_NAME}"
  ; Only what the installer put there (a mistaken install folder such as C:\ must not be wiped).
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\hejie.exe"
  Delete "$INSTDIR\hejie-admin.exe"
  Delete "$INSTDIR\hejie.ini"
  Delete "$INSTDIR\hejie.ico"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  ${If} $RemoveData == 1
  ${AndIf} $DataScope == "machine"
  ${AndIf} $DataDir != ""
    RMDir /r "$DataDir"
    DetailPrint "已删除数据文件夹 $DataDir"
  ${ElseIf} $DataDir != ""
    DetailPrint "数据保留在 $DataDir"
  ${EndIf}
  DeleteRegKey HKLM "${UNINSTALL_KEY}"
  DeleteRegKey HKLM "${SETTINGS_KEY}"
SectionEnd
